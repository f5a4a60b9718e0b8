import Foundation
import Testing
@testable import Fetch

/// Hostile tarballs written with Python's tarfile; each must be refused with the entry named
/// and without a byte landing outside the extraction directory.
@Suite(.enabled(if: Tools.has("python3"), "python3's tarfile writes the hostile archives"))
struct MaliciousArchiveTests {
    let work: TemporaryDirectory
    /// Everything the archive could reach: the extraction directory is `<outside>/x/unpacked`.
    let outside: String

    init() throws {
        work = try TemporaryDirectory("evil")
        outside = work.sub("outside")
        try FileManager.default.createDirectory(atPath: "\(outside)/x", withIntermediateDirectories: true)
    }

    /// Builds a tar.gz whose members are given as Python tuples (kind, name, payload-or-target).
    func hostileTarball(_ members: String) throws -> String {
        let path = work.sub("evil.tar.gz")
        try Tools.run(["python3", "-c", """
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz", format=tarfile.GNU_FORMAT) as tar:
                for kind, name, data in [\(members)]:
                    info = tarfile.TarInfo(name)
                    if kind == "file":
                        info.size = len(data)
                        tar.addfile(info, io.BytesIO(data.encode()))
                    elif kind == "dir":
                        info.type = tarfile.DIRTYPE
                        tar.addfile(info)
                    elif kind == "sym":
                        info.type = tarfile.SYMTYPE
                        info.linkname = data
                        tar.addfile(info)
                    elif kind == "hard":
                        info.type = tarfile.LNKTYPE
                        info.linkname = data
                        tar.addfile(info)
            """, path])
        return path
    }

    /// Extracts and returns the error text; asserts nothing appeared outside the extraction dir.
    func refusal(_ archive: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let before = try snapshotOutside()
        let fetcher = SourceFetcher(configuration: FetchConfiguration(cacheDirectory: work.sub("cache")))
        let fetched = try await fetcher.fetch(.url(URL(fileURLWithPath: archive), try sha256(ofFile: archive)))
        let root = "\(outside)/x/unpacked"
        let error = await #expect(throws: FetchError.self, sourceLocation: sourceLocation) {
            try await fetcher.unpack(fetched, into: root)
        }
        #expect(try snapshotOutside() == before, "something was written outside", sourceLocation: sourceLocation)
        #expect(!exists(root), "a half-extracted tree was left behind", sourceLocation: sourceLocation)
        return error?.description ?? ""
    }

    func snapshotOutside() throws -> [String] {
        (FileManager.default.subpaths(atPath: work.path) ?? []).filter { !$0.hasPrefix("cache") }.sorted()
    }

    @Test func dotDotPathIsRefused() async throws {
        let message = try await refusal(hostileTarball("""
            ("file", "pkg/ok.c", "ok"), ("file", "pkg/../../evil.txt", "pwned")
            """))
        #expect(message.contains("refusing to extract"))
        #expect(message.contains("evil.tar.gz"))
        #expect(message.contains("entry 'pkg/../../evil.txt' has a '..' path component"))
        #expect(!exists("\(outside)/evil.txt") && !exists("\(outside)/x/evil.txt"))
    }

    @Test func absolutePathIsRefused() async throws {
        let target = "\(outside)/absolute-evil.txt"
        let message = try await refusal(hostileTarball("(\"file\", \"\(target)\", \"pwned\")"))
        #expect(message.contains("entry '\(target)' has an absolute path"))
        #expect(!exists(target))
    }

    @Test func escapingSymlinkIsRefusedBeforeAnythingIsWrittenThroughIt() async throws {
        let message = try await refusal(hostileTarball("""
            ("sym", "pkg/link", "../../.."), ("file", "pkg/link/evil.txt", "pwned")
            """))
        #expect(message.contains("entry 'pkg/link' is a symlink to '../../..', which points outside the extraction directory"))
    }

    @Test func absoluteSymlinkIsRefused() async throws {
        let message = try await refusal(hostileTarball("(\"sym\", \"pkg/passwd\", \"/etc/passwd\")"))
        #expect(message.contains("entry 'pkg/passwd' is a symlink to the absolute path '/etc/passwd'"))
    }

    @Test func chainOfHarmlessLookingSymlinksIsRefused() async throws {
        // d/p -> .. is inside on its own; q -> d/p/.. reads as "d" but really leaves the root.
        let message = try await refusal(hostileTarball("""
            ("dir", "d", ""), ("sym", "d/p", ".."), ("sym", "q", "d/p/..")
            """))
        #expect(message.contains("entry 'q' is a symlink to 'd/p/..', which resolves outside the extraction directory"))
    }

    @Test func writingThroughAnInternalSymlinkIsRefused() async throws {
        let message = try await refusal(hostileTarball("""
            ("dir", "pkg/sub", ""), ("sym", "pkg/alias", "sub"), ("file", "pkg/alias/file.c", "x")
            """))
        #expect(message.contains("entry 'pkg/alias/file.c' would be written through the symlink 'pkg/alias'"))
    }

    @Test func escapingHardlinksAreRefused() async throws {
        let victim = "\(outside)/victim.txt"
        try write("original\n", to: victim)
        let absolute = try await refusal(hostileTarball("(\"hard\", \"pkg/h\", \"\(victim)\")"))
        #expect(absolute.contains("entry 'pkg/h' is a hardlink to the absolute path '\(victim)'"))
        let relative = try await refusal(hostileTarball("(\"hard\", \"pkg/h\", \"../../victim.txt\")"))
        #expect(relative.contains("entry 'pkg/h' is a hardlink to '../../victim.txt'"))
        #expect(try read(victim) == "original\n")
    }

    @Test func hardlinkThroughASymlinkIsRefused() async throws {
        let message = try await refusal(hostileTarball("""
            ("dir", "pkg/sub", ""), ("sym", "pkg/alias", "sub"), ("hard", "pkg/h", "pkg/alias/x")
            """))
        #expect(message.contains("entry 'pkg/h' is a hardlink through the symlink 'pkg/alias'"))
    }

    @Test func deviceNodesAreRefused() async throws {
        let path = work.sub("dev.tar.gz")
        try Tools.run(["python3", "-c", """
            import sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz") as tar:
                info = tarfile.TarInfo("pkg/null")
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
                tar.addfile(info)
            """, path])
        let message = try await refusal(path)
        #expect(message.contains("entry 'pkg/null' is a device, fifo or socket"))
    }
}
