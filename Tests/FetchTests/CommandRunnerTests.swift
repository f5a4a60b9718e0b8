import Foundation
import Testing
import TestSupport
@testable import Fetch

/// The tool runner behind git and apt-get.
@Suite(.ownThread) struct CommandRunnerTests {
    @Test func capturesOutputStatusAndWorkingDirectory() async throws {
        let work = try TemporaryDirectory("cmd")
        let result = try await CommandRunner.run(["sh", "-c", "pwd; echo oops >&2; exit 3"], in: work.path)
        #expect(result.status == 3)
        #expect(result.output == "\(work.path)\noops\n")
    }

    @Test func aMissingToolIsNamed() async throws {
        let error = await #expect(throws: FetchError.self) {
            try await CommandRunner.run(["omnibus-no-such-tool", "--version"])
        }
        #expect(error?.description.contains("`omnibus-no-such-tool` is not installed or not on PATH") == true)
    }

    @Test func childrenGetDefaultSignalHandling() async throws {
        // The concurrency pool's threads block SIGTERM; a child must not inherit that.
        let output = try await CommandRunner.check(["sh", "-c", "grep SigBlk /proc/self/status"])
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("0000000000000000"))
    }

    @Test func cancellingTheTaskKillsTheCommandAndItsChildren() async throws {
        // No time bound: on a busy 2-core machine the pool may resume late. A command that was
        // not killed would end normally and leave its background child running.
        let work = try TemporaryDirectory("cancel")
        let pidFile = work.path + "/child.pid"
        let task = Task(executorPreference: OwnThreadTrait.executor) {
            try await CommandRunner.run(["sh", "-c", "sleep 60 & echo $! > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; wait", pidFile])
        }
        while !FileManager.default.fileExists(atPath: pidFile) { try await Task.sleep(nanoseconds: 50_000_000) }
        task.cancel()
        // A command that was not killed would end normally (status 0) instead of being reported as interrupted.
        await #expect(throws: FetchError.cancelled) { try await task.value }
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let child = try #require(pid_t(text))
        var alive = Self.isRunning(child)
        for _ in 0..<100 where alive {
            try await Task.sleep(nanoseconds: 50_000_000)
            alive = Self.isRunning(child)
        }
        #expect(!alive, "the background child \(child) outlived the cancelled command")
    }

    /// Running, as opposed to gone or a zombie that an init without reaping keeps listed.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }
}
