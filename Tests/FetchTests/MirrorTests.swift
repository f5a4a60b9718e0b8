import Digest
import Foundation
import Testing
import TestSupport
@testable import Fetch

/// Source mirrors (directories and URLs) and mirror-only sources.
@Suite(.ownThread, .enabled(if: Tools.has("python3"), "python3 runs the test HTTP server"))
struct MirrorTests {
    let work: TemporaryDirectory
    let tarball: String
    let checksum: Checksum
    /// An upstream URL nobody listens on: a test passes only if the mirror answered.
    let deadUpstream = URL(string: "http://127.0.0.1:9/demo-1.0.tar.gz")!

    init() throws {
        work = try TemporaryDirectory("mirror")
        try makeSourceTree(in: work.path)
        tarball = try makeArchive("demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
        checksum = try sha256(ofFile: tarball)
    }

    func fetcher(_ mirrors: [SourceMirror], allowUpstream: Bool = false) -> SourceFetcher {
        SourceFetcher(configuration: FetchConfiguration(
            cacheDirectory: work.sub("cache"), mirrors: mirrors, allowUpstream: allowUpstream,
            retry: RetryPolicy(attempts: 1), requestTimeout: 5, mirrorFillHint: "Hint: run the fill command."))
    }

    func mirrorDirectory(_ name: String, byName: Bool = false, byChecksum: Bool = false) throws -> String {
        let directory = work.sub(name)
        try FileManager.default.createDirectory(atPath: "\(directory)/sha256", withIntermediateDirectories: true)
        if byName { try FileManager.default.copyItem(atPath: tarball, toPath: "\(directory)/demo-1.0.tar.gz") }
        if byChecksum { try FileManager.default.copyItem(atPath: tarball, toPath: "\(directory)/sha256/\(checksum.hex)") }
        return directory
    }

    @Test func mirrorDirectoryIsSearchedByFileName() async throws {
        let mirror = try mirrorDirectory("m", byName: true)
        let fetched = try await fetcher([.directory(mirror)], allowUpstream: true).fetch(.url(deadUpstream, checksum))
        #expect(fetched.origin == "\(mirror)/demo-1.0.tar.gz")
    }

    @Test func mirrorDirectoryIsSearchedByChecksum() async throws {
        let mirror = try mirrorDirectory("m", byChecksum: true)
        let fetched = try await fetcher([.directory(mirror)]).fetch(.url(deadUpstream, checksum))
        #expect(fetched.origin == "\(mirror)/sha256/\(checksum.hex)")
        // The cache keeps the upstream name, which decides how it is unpacked.
        #expect(fetched.content == .file(path: work.sub("cache/sha256/\(checksum.hex)/demo-1.0.tar.gz"),
                                         fileName: "demo-1.0.tar.gz"))
    }

    @Test func mirrorsAreTriedInOrderAndBadCopiesAreSkipped() async throws {
        let empty = try mirrorDirectory("empty")
        let wrong = try mirrorDirectory("wrong")
        try write("not the tarball", to: "\(wrong)/demo-1.0.tar.gz")
        let good = try mirrorDirectory("good", byChecksum: true)
        let events = EventLog()
        let fetched = try await fetcher([.directory(empty), .directory(wrong), .directory(good)])
            .fetch(.url(deadUpstream, checksum), events: events.handler)
        #expect(fetched.origin == "\(good)/sha256/\(checksum.hex)")
        let tried = events.events.compactMap { if case .trying(let location) = $0 { location } else { nil } }
        #expect(tried == ["\(empty)/demo-1.0.tar.gz", "\(empty)/sha256/\(checksum.hex)",
                          "\(wrong)/demo-1.0.tar.gz", "\(wrong)/sha256/\(checksum.hex)",
                          "\(good)/demo-1.0.tar.gz", "\(good)/sha256/\(checksum.hex)"])
        let rejected = events.events.compactMap { if case .rejected(let attempt) = $0 { attempt } else { nil } }
        #expect(rejected.contains { $0.location == "\(wrong)/demo-1.0.tar.gz"
            && { if case .checksumMismatch = $0.outcome { true } else { false } }($0) })
        // The mirror's file is the user's: a mismatch deletes only our copy.
        #expect(exists("\(wrong)/demo-1.0.tar.gz"))
    }

    @Test func mirrorURLIsSearchedByNameThenByChecksum() async throws {
        let byChecksumOnly = try mirrorDirectory("served", byChecksum: true)
        let server = try LocalHTTPServer(root: byChecksumOnly)
        let fetched = try await fetcher([.url(server.url("/"))]).fetch(.url(deadUpstream, checksum))
        #expect(server.requests == ["/demo-1.0.tar.gz", "/sha256/\(checksum.hex)"])
        #expect(fetched.origin == server.url("sha256/\(checksum.hex)").absoluteString)

        let byNameOnly = try mirrorDirectory("served2", byName: true)
        let server2 = try LocalHTTPServer(root: byNameOnly)
        let cacheless = SourceFetcher(configuration: FetchConfiguration(
            cacheDirectory: work.sub("cache2"), mirrors: [.url(server2.baseURL)], allowUpstream: false))
        _ = try await cacheless.fetch(.url(deadUpstream, checksum))
        #expect(server2.requests == ["/demo-1.0.tar.gz"])
    }

    @Test func mirrorsComeBeforeUpstream() async throws {
        let upstreamRoot = try mirrorDirectory("upstream", byName: true)
        let upstream = try LocalHTTPServer(root: upstreamRoot)
        let mirror = try mirrorDirectory("m", byName: true)
        _ = try await fetcher([.directory(mirror)], allowUpstream: true)
            .fetch(.url(upstream.url("demo-1.0.tar.gz"), checksum))
        #expect(upstream.requests.isEmpty)
    }

    @Test func withUpstreamDisabledTheErrorListsEveryPlaceTried() async throws {
        let mirror = try mirrorDirectory("m")
        let error = await #expect(throws: FetchError.self) {
            try await fetcher([.directory(mirror)]).fetch(.url(deadUpstream, checksum))
        }
        let message = try #require(error).description
        #expect(message.contains("cannot fetch demo-1.0.tar.gz (sha256:\(checksum.hex))"))
        #expect(message.contains("\(mirror)/demo-1.0.tar.gz: not found"))
        #expect(message.contains("\(mirror)/sha256/\(checksum.hex): not found"))
        #expect(!message.contains(deadUpstream.absoluteString))
        #expect(message.contains("Hint: run the fill command."))
    }

    @Test func mirrorOnlySourceIsFoundInAMirror() async throws {
        let mirror = try mirrorDirectory("m")
        try FileManager.default.copyItem(atPath: tarball, toPath: "\(mirror)/zlib_1.2.13.dfsg.orig.tar.gz")
        let fetched = try await fetcher([.directory(mirror)])
            .fetch(.mirrorOnly(fileName: "zlib_1.2.13.dfsg.orig.tar.gz", checksum))
        #expect(fetched.origin == "\(mirror)/zlib_1.2.13.dfsg.orig.tar.gz")
    }

    @Test func mirrorOnlySourceWithoutMirrorSaysWhatToPutWhere() async throws {
        let name = "zlib_1.2.13.dfsg.orig.tar.bz2"
        let zlib = try Checksum(.sha256, "71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1")
        let spec = MirrorFileSource.mirrorOnly(fileName: name, zlib,
                                         debian: DebianOrigin(package: "zlib", version: "1:1.2.13.dfsg-1"))
        let none = await #expect(throws: FetchError.self) { try await fetcher([]).fetch(spec) }
        let message = try #require(none).description
        #expect(message.contains("\(name) (sha256:\(zlib.hex)) exists only in source mirrors"))
        #expect(message.contains("no source mirror is configured"))
        #expect(message.contains("<mirror>/\(name)"))
        #expect(message.contains("<mirror>/sha256/\(zlib.hex)"))
        #expect(message.contains("--source-mirror <mirror>"))
        #expect(message.contains("apt-get source --download-only zlib=1:1.2.13.dfsg-1"))
        #expect(message.contains("scripts/enable-deb-src"))

        let mirror = try mirrorDirectory("m")
        let missing = await #expect(throws: FetchError.self) { try await fetcher([.directory(mirror)]).fetch(spec) }
        let text = try #require(missing).description
        #expect(text.contains("none of the configured mirrors has it"))
        #expect(text.contains("\(mirror)/\(name): not found"))
    }

    @Test func mirrorArgumentsAreParsed() throws {
        #expect(try SourceMirror(parsing: "https://mirror.example/src") == .url(URL(string: "https://mirror.example/src")!))
        #expect(try SourceMirror(parsing: "file:///srv/mirror") == .directory("/srv/mirror"))
        #expect(try SourceMirror(parsing: "/srv/mirror/../m") == .directory("/srv/m"))
        let cwd = FileManager.default.currentDirectoryPath
        #expect(try SourceMirror(parsing: "mirror") == .directory(URL(fileURLWithPath: "\(cwd)/mirror").standardizedFileURL.path))
        #expect(try SourceMirror.parseList(" /a\thttp://h:8080/m \n/b ")
            == [.directory("/a"), .url(URL(string: "http://h:8080/m")!), .directory("/b")])
        #expect(throws: FetchError.self) { try SourceMirror(parsing: "ftp://x/y") }
        #expect(throws: FetchError.self) { try SourceMirror(parsing: "") }
    }
}
