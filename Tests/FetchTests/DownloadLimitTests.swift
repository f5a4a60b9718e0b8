import Digest
import Foundation
import Testing
import TestSupport
@testable import Fetch
import Scratch

/// Downloads that go wrong slowly: servers that stall, trickle or hang up, and a user who gives
/// up. Each test sets small limits so that a regression fails in seconds instead of minutes.
@Suite(.enabled(if: Tools.has("python3"), "python3 runs the test HTTP server"), .ownThread, .timeLimit(.minutes(1)))
struct DownloadLimitTests {
    let work: TemporaryDirectory
    let served: String

    init() throws {
        work = try TemporaryDirectory("limits")
        served = work.sub("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    }

    var cacheTemporaries: String { work.sub("cache/tmp") }

    /// A served file of random bytes, so that a leaked copy of it is recognisable anywhere.
    func serve(_ name: String, size: Int) throws -> (checksum: Checksum, bytes: Data) {
        let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255) })
        try bytes.write(to: URL(fileURLWithPath: "\(served)/\(name)"))
        return (try sha256(ofFile: "\(served)/\(name)"), bytes)
    }

    func fetcher(deadline: TimeInterval = 600, minimumRate: Int = 0, rateWindow: TimeInterval = 30,
                 attempts: Int = 1, requestTimeout: TimeInterval = 8) -> SourceFetcher {
        SourceFetcher(configuration: FetchConfiguration(
            cacheDirectory: work.sub("cache"),
            retry: RetryPolicy(attempts: attempts, initialDelay: 0.05, maximumDelay: 0.2),
            requestTimeout: requestTimeout,
            limits: DownloadLimits(deadline: deadline, minimumRate: minimumRate, rateWindow: rateWindow,
                                   deadlineAdvice: "pass --download-timeout", rateAdvice: "pass --download-min-rate")))
    }

    func leftovers(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Files that appeared in the system's temporary directory since `before` and hold the start
    /// of `bytes`. Other processes use that directory too (and leave empty files there): only a
    /// file with some of this test's random bytes can be a leak of its download. The servers
    /// send at least half of the file before they misbehave, so a leak is never empty.
    func systemLeaks(of bytes: Data, since before: Set<String>) -> [String] {
        let directory = NSTemporaryDirectory()
        return Set(leftovers(in: directory)).subtracting(before).filter { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return false }
            return !data.isEmpty && bytes.starts(with: data)
        }.sorted()
    }

    @Test func aServerClosingMidBodyLeavesNoTemporaryAnywhere() async throws {
        let file = try serve("big-1.0.tar.gz", size: 512 * 1024)
        let server = try LocalHTTPServer(root: served, behavior: .closeMidBody)
        let before = Set(leftovers(in: NSTemporaryDirectory()))

        let error = await #expect(throws: FetchError.self) {
            try await fetcher(attempts: 2).fetch(.url(server.url("big-1.0.tar.gz"), file.checksum))
        }
        #expect(try #require(error).description.contains(server.url("big-1.0.tar.gz").absoluteString))
        #expect(server.requests.count == 2)
        #expect(leftovers(in: cacheTemporaries).isEmpty, "left in <cache>/tmp: \(leftovers(in: cacheTemporaries))")
        #expect(systemLeaks(of: file.bytes, since: before).isEmpty)
    }

    @Test func temporariesOfProcessesThatAreGoneAreSweptAndThoseOfLiveOnesKept() async throws {
        let file = try serve("demo-1.0.tar.gz", size: 4096)
        let server = try LocalHTTPServer(root: served)
        let gone = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        gone.waitUntilExit()
        let alive = try Process.run(URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"])
        // SIGKILL: a child started from a concurrency thread may block SIGTERM.
        defer { kill(alive.processIdentifier, SIGKILL); alive.waitUntilExit() }
        let stale = OwnedName.stamp("", pid: gone.processIdentifier) + "a1b2c3.part"
        let busy = OwnedName.stamp("", pid: alive.processIdentifier) + "d4e5f6.part"
        // Written on another machine or in another container: whether that pid runs cannot be
        // asked here, so only the age of the file decides.
        let here = OwnedName.stamp("", pid: 1).split(separator: "-")[1]
        let elsewhere = here == "00000000" ? "11111111" : "00000000"
        let foreignRecent = "\(gone.processIdentifier)-\(elsewhere)-g7h8i9.part"
        let foreignOld = "\(gone.processIdentifier)-\(elsewhere)-j0k1l2.part"
        let unrelated = "notes.txt"
        for name in [stale, busy, foreignRecent, foreignOld, unrelated] {
            try write("part of a download", to: "\(cacheTemporaries)/\(name)")
        }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 24 * 3600)],
                                              ofItemAtPath: "\(cacheTemporaries)/\(foreignOld)")

        _ = try await fetcher().fetch(.url(server.url("demo-1.0.tar.gz"), file.checksum))
        #expect(Set(leftovers(in: cacheTemporaries)) == [busy, foreignRecent, unrelated])
    }

    @Test func aTricklingServerIsStoppedByTheDeadline() async throws {
        // 20 bytes at one a second: it would succeed after 20 s if only the idle timeout counted.
        let file = try serve("slow-1.0.tar.gz", size: 20)
        let server = try LocalHTTPServer(root: served, behavior: .trickle(interval: 1))
        let url = server.url("slow-1.0.tar.gz")
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(deadline: 3, attempts: 4).fetch(.url(url, file.checksum))
        }
        let elapsed = clock.now - start
        // No upper bound on time (a loaded machine is slower); the message names the deadline, not a timeout.
        #expect(elapsed >= .seconds(2.5), "took \(elapsed)")
        let message = try #require(error).description
        #expect(message.contains("\(url.absoluteString): no complete download within 3 s"), "\(message)")
        #expect(message.contains("the download deadline for all attempts together"), "\(message)")
        #expect(message.contains("; pass --download-timeout"), "\(message)")
        #expect(leftovers(in: cacheTemporaries).isEmpty)
    }

    @Test func aSilentServerIsStoppedByTheDeadlineNotByTheRequestTimeout() async throws {
        let file = try serve("quiet-1.0.tar.gz", size: 4096)
        let server = try LocalHTTPServer(root: served, behavior: .silent)
        let url = server.url("quiet-1.0.tar.gz")
        let clock = ContinuousClock()
        let start = clock.now
        // Without the deadline, the first attempt alone would outlast the bound below.
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(deadline: 2, attempts: 4, requestTimeout: 20).fetch(.url(url, file.checksum))
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .seconds(1.5), "took \(elapsed)")
        #expect(try #require(error).description.contains("\(url.absoluteString): no complete download within 2 s"))
        #expect(leftovers(in: cacheTemporaries).isEmpty)
    }

    @Test func cancellingAStalledDownloadReturnsAtOnceAndLeavesNothing() async throws {
        let file = try serve("stuck-1.0.tar.gz", size: 256 * 1024)
        let server = try LocalHTTPServer(root: served, behavior: .stallMidBody)
        let fetcher = fetcher(attempts: 4, requestTimeout: 20)
        let before = Set(leftovers(in: NSTemporaryDirectory()))
        let fetch = Task(executorPreference: OwnThreadTrait.executor) { try await fetcher.fetch(.url(server.url("stuck-1.0.tar.gz"), file.checksum)) }
        // Cancel only once the download is under way and stuck.
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(5)
        while server.requests.isEmpty && clock.now < giveUp { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(leftovers(in: cacheTemporaries).count == 1, "the download has begun")
        fetch.cancel()
        let result = await fetch.result
        // A download that only stopped at its request timeout would end with a timeout, not a cancellation.
        #expect(throws: FetchError.cancelled) { try result.get() }
        #expect(leftovers(in: cacheTemporaries).isEmpty, "left in <cache>/tmp: \(leftovers(in: cacheTemporaries))")
        #expect(systemLeaks(of: file.bytes, since: before).isEmpty)
    }

    @Test func anAttemptUnderTheMinimumRateIsAbandoned() async throws {
        // Ten bytes a second would finish in 20 s, well within the default deadline.
        let file = try serve("dribble-1.0.tar.gz", size: 200)
        let server = try LocalHTTPServer(root: served, behavior: .trickle(interval: 0.1))
        let url = server.url("dribble-1.0.tar.gz")
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: FetchError.self) {
            try await fetcher(minimumRate: 1024, rateWindow: 1.5).fetch(.url(url, file.checksum))
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .seconds(1.5), "took \(elapsed)")
        let message = try #require(error).description
        #expect(message.contains("\(url.absoluteString): too slow: "), "\(message)")
        #expect(message.contains(" bytes in 1.5 s, under the minimum of 1024 bytes/s; pass --download-min-rate"), "\(message)")
        #expect(leftovers(in: cacheTemporaries).isEmpty)
    }
}
