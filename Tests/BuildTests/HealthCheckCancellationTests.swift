import Foundation
import OmnibusKit
import Testing

/// The health check stops between files when its task is cancelled, and says so as an
/// interrupt, not as a result: a cancelled check must never read as "passed".
struct HealthCheckCancellationTests {
    @Test func aCancelledCheckEndsAsInterruptedNotPassed() async throws {
        let task = Task { () async throws -> HealthReportText in
            // Cancelled before it starts, so no timing is involved: the check must notice.
            withUnsafeCurrentTask { $0?.cancel() }
            return HealthReportText(try await ProjectRun.check("/usr/bin", allowing: []))
        }
        let result = await task.result
        guard case .failure(let error) = result else {
            Issue.record("a cancelled health check returned a report")
            return
        }
        let runError = try #require(error as? RunError)
        guard case .cancelled(.healthCheck) = runError else {
            Issue.record("expected an interrupt of the health check, got \(runError)")
            return
        }
    }

    @Test func anUncancelledCheckOfTheSameDirectoryPasses() async throws {
        let report = try await ProjectRun.check("/usr/bin", allowing: ["*"])
        #expect(report.filesChecked > 10)
    }
}
