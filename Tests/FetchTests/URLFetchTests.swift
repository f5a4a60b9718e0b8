import Digest
import Foundation
import Testing
import TestSupport
@testable import Fetch

/// `url` sources against a real HTTP server on 127.0.0.1.
@Suite(.ownThread, .enabled(if: Tools.has("python3"), "python3 runs the test HTTP server"))
struct URLFetchTests {
    let work: TemporaryDirectory
    let served: String
    let tarball: String

    init() throws {
        work = try TemporaryDirectory("url")
        served = work.sub("served")
        try makeSourceTree(in: work.path)
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        tarball = try makeArchive("served/demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
    }

    func fetcher(mirrors: [SourceMirror] = [], attempts: Int = 3) -> SourceFetcher {
        SourceFetcher(configuration: FetchConfiguration(
            cacheDirectory: work.sub("cache"), mirrors: mirrors,
            retry: RetryPolicy(attempts: attempts, initialDelay: 0.05, maximumDelay: 0.2), requestTimeout: 10))
    }

    @Test func downloadsVerifiesAndServesTheSecondFetchFromTheCache() async throws {
        let server = try LocalHTTPServer(root: served)
        let checksum = try sha256(ofFile: tarball)
        let spec = URLSource.url(server.url("demo-1.0.tar.gz"), checksum)

        let first = try await fetcher().fetch(spec)
        let cached = work.sub("cache/sha256/\(checksum.hex)/demo-1.0.tar.gz")
        #expect(first.content == .file(path: cached, fileName: "demo-1.0.tar.gz"))
        #expect(first.identity == "sha256:\(checksum.hex)")
        #expect(first.origin == server.url("demo-1.0.tar.gz").absoluteString)
        #expect(FileManager.default.contentsEqual(atPath: cached, andPath: tarball))

        let events = EventLog()
        let second = try await fetcher().fetch(spec, events: events.handler)
        #expect(second.origin == "cache")
        #expect(events.events == [.cacheHit(path: cached)])
        #expect(server.requests == ["/demo-1.0.tar.gz"])
        // No temporary download is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.sub("cache/tmp")).isEmpty)
    }

    @Test func checksumMismatchNamesBothDigestsAndDeletesTheFile() async throws {
        let server = try LocalHTTPServer(root: served)
        let wrong = try Checksum(.sha256, String(repeating: "ab", count: 32))
        let actual = try sha256(ofFile: tarball).hex
        let spec = URLSource.url(server.url("demo-1.0.tar.gz"), wrong)

        let error = await #expect(throws: FetchError.self) { try await fetcher().fetch(spec) }
        let message = try #require(error).description
        #expect(message.contains("checksum mismatch"))
        #expect(message.contains("expected sha256 \(wrong.hex)"))
        #expect(message.contains("actual \(actual)"))
        #expect(message.contains("the bad file was deleted"))
        #expect(message.contains(server.url("demo-1.0.tar.gz").absoluteString))
        #expect(!exists(work.sub("cache/sha256/\(wrong.hex)")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.sub("cache/tmp")).isEmpty)
    }

    @Test func sha512ChecksumsAreVerifiedToo() async throws {
        let server = try LocalHTTPServer(root: served)
        let checksum = try Checksum(.sha512, Tools.run(["sha512sum", tarball]).prefix(128).description)
        let fetched = try await fetcher().fetch(.url(server.url("demo-1.0.tar.gz"), checksum))
        #expect(fetched.identity == "sha512:\(checksum.hex)")
        #expect(exists(work.sub("cache/sha512/\(checksum.hex)/demo-1.0.tar.gz")))
    }

    @Test func transientServerErrorsAreRetried() async throws {
        let server = try LocalHTTPServer(root: served, failFirst: 2)
        let events = EventLog()
        let fetched = try await fetcher(attempts: 3).fetch(
            .url(server.url("demo-1.0.tar.gz"), try sha256(ofFile: tarball)), events: events.handler)
        #expect(fetched.origin == server.url("demo-1.0.tar.gz").absoluteString)
        #expect(server.requests.count == 3)
        let retries = events.events.filter { if case .retrying = $0 { true } else { false } }
        #expect(retries.count == 2)
    }

    @Test func persistentServerErrorsFailWithStatusAndAttemptCount() async throws {
        let server = try LocalHTTPServer(root: served, failFirst: 100)
        let url = server.url("demo-1.0.tar.gz")
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(attempts: 2).fetch(.url(url, try sha256(ofFile: tarball)))
        }
        let message = try #require(error).description
        #expect(message.contains("\(url.absoluteString): HTTP status 503 (after 2 attempts)"))
        #expect(message.contains("<mirror>/demo-1.0.tar.gz"))
        #expect(server.requests.count == 2)
    }

    @Test func notFoundIsNotRetried() async throws {
        let server = try LocalHTTPServer(root: served)
        let url = server.url("missing-2.0.tar.gz")
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(attempts: 4).fetch(.url(url, try sha256(ofFile: tarball)))
        }
        #expect(try #require(error).description.contains("\(url.absoluteString): not found"))
        #expect(server.requests == ["/missing-2.0.tar.gz"])
    }

    @Test func unreachableServerIsReportedWithTheURL() async throws {
        // A port that was just free: nothing listens there.
        let server = try LocalHTTPServer(root: served)
        let url = server.url("demo-1.0.tar.gz")
        server.stop()
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(attempts: 2).fetch(.url(url, try sha256(ofFile: tarball)))
        }
        let message = try #require(error).description
        #expect(message.contains(url.absoluteString))
        #expect(message.contains("(after 2 attempts)"))
    }

    @Test func fileURLsAreCopiedAndVerified() async throws {
        let url = URL(fileURLWithPath: tarball)
        let fetched = try await fetcher().fetch(.url(url, try sha256(ofFile: tarball)))
        #expect(fetched.origin == tarball)
        let wrong = try Checksum(.sha256, String(repeating: "0", count: 64))
        let error = await #expect(throws: FetchError.self) { try await fetcher().fetch(.url(url, wrong)) }
        #expect(try #require(error).description.contains("checksum mismatch"))
        #expect(exists(tarball))  // the source of a file:// copy is never deleted
    }

    @Test func aDamagedCacheEntryIsDeletedAndFetchedAgain() async throws {
        let server = try LocalHTTPServer(root: served)
        let checksum = try sha256(ofFile: tarball)
        let spec = URLSource.url(server.url("demo-1.0.tar.gz"), checksum)
        let first = try await fetcher().fetch(spec)
        guard case .file(let path, _) = first.content else { Issue.record("not a file"); return }
        try write("corrupted", to: path)
        let second = try await fetcher().fetch(spec)
        #expect(second.origin != "cache")
        #expect(server.requests.count == 2)
        #expect(try sha256(ofFile: path) == checksum)
    }

    @Test func theSameBytesUnderAnotherNameAreLinkedFromTheCache() async throws {
        let server = try LocalHTTPServer(root: served)
        let checksum = try sha256(ofFile: tarball)
        _ = try await fetcher().fetch(.url(server.url("demo-1.0.tar.gz"), checksum))
        let renamed = try await fetcher().fetch(.url(server.url("demo-1.0.tar.gz"), checksum, fileName: "demo.tar.gz"))
        #expect(renamed.origin == "cache")
        #expect(renamed.content == .file(path: work.sub("cache/sha256/\(checksum.hex)/demo.tar.gz"), fileName: "demo.tar.gz"))
        #expect(server.requests.count == 1)
    }

    @Test func badSpecsAreRefusedBeforeAnyDownload() async throws {
        let checksum = try sha256(ofFile: tarball)
        let ftp = await #expect(throws: FetchError.self) {
            try await fetcher().fetch(.url(URL(string: "ftp://example.com/a.tar.gz")!, checksum))
        }
        #expect(try #require(ftp).description.contains("only http, https and file URLs"))
        let name = await #expect(throws: FetchError.self) {
            try await fetcher().fetch(.url(URL(string: "http://127.0.0.1:9/x.tar.gz")!, checksum, fileName: "../x.tar.gz"))
        }
        #expect(try #require(name).description.contains("cannot be a source file name"))
    }
}
