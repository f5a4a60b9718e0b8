import Linkage

/// A health report as commands print it, so they need not know the Linkage module.
package struct HealthReportText: Sendable {
    package let text: String
    package let json: String
    package let passed: Bool

    package init(_ report: HealthReport) {
        text = report.render()
        json = report.json()
        passed = report.passed
    }
}

extension ProjectRun {
    /// `omnibus health-check --path DIR`: any directory, with extra allowed libraries.
    package static func check(_ directory: String, allowing allowed: [String]) async throws(RunError) -> HealthReport {
        try await check(directory, policy: HealthCheckPolicy(additionalAllowed: allowed))
    }
}
