import Definitions
import Foundation
import Testing
@testable import Packaging

@Suite struct ContentsTests {
    @Test func entriesAreSortedWithKindsModesAndStableInodes() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        let paths = contents.entries.map(\.path)
        #expect(paths.first == fixture.installDir)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        func entry(_ relative: String) -> PackageEntry? {
            contents.entries.first { $0.path == fixture.installDir + "/" + relative }
        }
        #expect(entry("bin/\(fixture.name)")?.kind == .file)
        #expect(entry("bin/\(fixture.name)")?.permissions == 0o755)
        #expect(entry("etc/\(fixture.name).conf")?.permissions == 0o644)
        #expect(entry("etc/\(fixture.name).conf")?.isConfig == true)
        #expect(entry("embedded/lib/libdemo.so.1")?.kind == .symlink(target: "libdemo.so.1.0.0"))
        #expect(entry("embedded/lib/libdemo.so.1")?.size == Int64("libdemo.so.1.0.0".utf8.count))
        #expect(entry("var/empty")?.kind == .directory)
        // Hard links: the first name in path order is the file, the others link to it.
        let readme = try #require(entry("share/doc/README"))
        let link = try #require(entry("share/doc/README.hardlink"))
        #expect(readme.kind == .file)
        #expect(link.kind == .hardlink(target: readme.path))
        #expect(readme.inode == link.inode && readme.linkCount == 2 && link.linkCount == 2)
        // Inodes count up in path order, a hard-link set sharing one number.
        let distinct = contents.entries.map(\.inode).reduce(into: [UInt32]()) { if $0.last != $1 { $0.append($1) } }
        #expect(distinct == Array(1...UInt32(contents.entries.count - 1)))
        #expect(contents.entries.allSatisfy { $0.user == "root" && $0.group == "root" })
    }

    @Test func excludePatternsDropTheDirectoryAndEverythingBelow() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let contents = try fixture.contents(fixture.info())
        #expect(!contents.entries.contains { $0.path.contains("/embedded/share/man") })
        #expect(contents.entries.contains { $0.path == fixture.installDir + "/embedded/share" })
        let all = try PackageContents.scan(root: fixture.root, info: fixture.info())
        #expect(all.entries.contains { $0.path.hasSuffix("/man1/\(fixture.name).1") })
    }

    @Test(arguments: [
        ("embedded/share/man/**", "embedded/share/man/man1/x.1", true),
        ("embedded/share/man/**", "embedded/share/man/", true),
        ("embedded/share/man/**", "embedded/share/many", false),
        ("embedded/lib/*.a", "embedded/lib/libz.a", true),
        ("embedded/lib/*.a", "embedded/lib/sub/libz.a", false),
        ("**/*.la", "embedded/lib/libz.la", true),
        ("**/*.la", "libz.la", true),
        ("/embedded/bin/?cc", "embedded/bin/gcc", true),
        ("./share/[a-c]*", "share/bin", true),
        ("share/[!a-c]*", "share/bin", false),
        ("share/doc/", "share/doc", true),
    ])
    func excludePatternSyntax(pattern: String, path: String, matches: Bool) {
        #expect(ExcludePattern(pattern).matches(path) == matches)
    }

    @Test func timesAreClampedBetweenTheFloorAndSourceDateEpoch() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let readme = fixture.root + "/share/doc/notes with spaces.txt"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 86_400)], ofItemAtPath: readme)
        let epoch: Int64 = 1_600_000_000
        let contents = try fixture.contents(fixture.info(epoch: epoch))
        let old = try #require(contents.entries.first { $0.path.hasSuffix("notes with spaces.txt") })
        #expect(old.modificationTime == PackageInfo.minimumEpoch)
        // Everything else was written just now, after the epoch, so it is lowered to it.
        #expect(contents.entries.filter { $0 != old }.allSatisfy { $0.modificationTime == epoch })
        // An epoch of 0 is raised too, so no time before 1980 is ever written.
        let zero = try fixture.contents(fixture.info(epoch: 0))
        #expect(zero.entries.allSatisfy { $0.modificationTime == PackageInfo.minimumEpoch })
    }

    @Test func ownersComeFromTheInfoNotFromTheDisk() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let contents = try fixture.contents(fixture.info(user: "app", group: "staff"))
        #expect(contents.entries.allSatisfy { $0.user == "app" && $0.group == "staff" })
    }

    @Test func configFilesMustBeRegularFilesInThePackage() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        var info = fixture.info()
        info.configFiles = ["/etc/elsewhere.conf"]
        #expect(throws: PackagingError.configFileNotPackaged(path: "/etc/elsewhere.conf", reason: "outside the install dir \(fixture.installDir)")) {
            try fixture.contents(info)
        }
        info.configFiles = [fixture.installDir + "/var/empty"]
        #expect(throws: PackagingError.configFileNotPackaged(path: fixture.installDir + "/var/empty", reason: "not a regular file")) {
            try fixture.contents(info)
        }
    }

    @Test func specialFilesAndBadNamesAreRefusedWithTheirPath() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let fifo = fixture.root + "/var/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(throws: PackagingError.unsupportedEntry(path: fifo, reason: "a device, FIFO or socket cannot be packaged")) {
            try fixture.contents(fixture.info())
        }
        unlink(fifo)
        let newline = fixture.root + "/var/two\nlines"
        _ = FileManager.default.createFile(atPath: newline, contents: Data())
        #expect(throws: PackagingError.self) { try fixture.contents(fixture.info()) }
        // The same tree with the bad names excluded packages fine.
        mkfifo(fifo, 0o644)
        let contents = try PackageContents.scan(root: fixture.root, info: fixture.info(), exclude: ["var/*"])
        #expect(!contents.entries.contains { $0.path.hasPrefix(fixture.installDir + "/var/") })
    }

    @Test func aMissingInstallDirSaysSo() {
        let info = PackageInfo(name: "missing", version: "1", maintainer: "A <a@b.c>", installDir: "/opt/missing",
                               sourceDateEpoch: 1_700_000_000)
        #expect(throws: PackagingError.missingRoot(path: "/nonexistent/omnibus-test", reason: "No such file or directory")) {
            try PackageContents.scan(root: "/nonexistent/omnibus-test", info: info)
        }
    }
}
