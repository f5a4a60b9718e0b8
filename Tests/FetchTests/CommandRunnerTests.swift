import Foundation
import Testing
@testable import Fetch

/// The tool runner behind git and apt-get.
struct CommandRunnerTests {
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
        let started = Date()
        let task = Task { try await CommandRunner.run(["sh", "-c", "sleep 30 & sleep 30; wait"]) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.status == 128 + SIGKILL)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
