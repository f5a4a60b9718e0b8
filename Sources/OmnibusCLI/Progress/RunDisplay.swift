import Foundation
import OmnibusKit

/// Progress and results for one command run, chosen from the output mode: the live display,
/// plain lines or (with `--quiet`) no progress at all, and the result lines.
final class RunDisplay: Sendable {
    let mode: OutputMode
    let outcomes: OutcomeRenderer
    private let terminal: TerminalReporter?
    private let plain: PlainReporter?

    init(_ mode: OutputMode, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.mode = mode
        outcomes = OutcomeRenderer(quiet: mode.quiet)
        terminal = mode.live ? TerminalReporter(color: mode.colorProgress) : nil
        if mode.live || mode.quiet {
            plain = nil
        } else {
            plain = PlainReporter(color: mode.colorProgress, heartbeat: PlainReporter.heartbeatPeriod(environment: environment))
        }
    }

    var reporter: BuildReporter {
        if let terminal { return terminal }
        if let plain { return plain }
        return SilentReporter()
    }

    /// For `ProjectRun`: the live area ends when the build phase does, before result lines.
    func render(_ outcome: PhaseOutcome) {
        if case .built(let result, let seconds) = outcome {
            finishProgress()
            // Progress, not a result: the run may still stop in the health check or packaging.
            if !mode.quiet {
                let time = String(format: "%.1f", seconds)
                Console.shared.line("build phase done in \(time)s (\(OutcomeRenderer.counts(result))); health check and packaging next",
                                    to: .progress)
            }
        }
        outcomes.render(outcome)
    }

    /// Runs a phase, then prints what ended it: the error (standard error) before the final
    /// result line, so a stopped build ends on "NOT PACKAGED: …".
    func run<T: Sendable>(finalLine: Bool = false, _ body: @escaping @Sendable () async throws(RunError) -> T) async throws -> T {
        let result = await RunInTask.result(body)
        finishProgress()
        switch result {
        case .success(let value):
            if finalLine { outcomes.finishBuild(nil) }
            return value
        case .failure(let error):
            let command = CommandFailure(error)
            if !command.message.isEmpty { Console.shared.line(command.message, to: .progress) }
            if finalLine { outcomes.finishBuild(error) }
            throw CommandFailure(command.status, "")
        }
    }

    private func finishProgress() {
        terminal?.finish()
        plain?.finish()
    }
}

/// `--quiet`: progress goes nowhere.
struct SilentReporter: BuildReporter {
    func report(_ event: BuildEvent) {}
}
