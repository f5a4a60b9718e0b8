import Linkage
import Packaging

/// The phases of a project run, in order. Each starts only when the one before it finished and
/// the run was not cancelled.
package enum Phase: String, Sendable, CaseIterable {
    case build
    case healthCheck = "health check"
    case package
    /// `omnibus publish`, on its own after packages were written.
    case publish
}

/// What a finished phase hands to the renderer, as it finishes (so a later failure still shows
/// what went before it).
package enum PhaseOutcome: Sendable {
    case built(BuildResult, seconds: Double)
    case healthChecked(HealthReport)
    /// Modes worth a look (world-writable, setuid, unreadable) that the project does not fail on.
    case permissionWarnings([PermissionFinding])
    /// The project turned the check off (`health_check.enabled: false`), said every time.
    case healthCheckDisabled(project: String, projectFile: String)
    /// `reused`: the packages were put in place from the package cache, not written.
    case packaged([BuiltPackage], seconds: Double, reused: Bool)
    /// Problems worth a line on standard error that do not stop the run (a package that
    /// replaced other bytes under the same name).
    case warnings([String])
    /// Where the build report went; `failed` when the run did not succeed.
    case reportWritten([String], failed: Bool)
}

/// Why a run stopped; the CLI maps each case to one documented exit status.
package enum RunError: Error, Sendable, CustomStringConvertible {
    /// Definitions, settings or the install dir need fixing first (exit 2).
    case badInput(String)
    /// A build step, the health check or packaging failed (exit 1).
    case failed(Phase, String)
    /// Ctrl-C or SIGTERM (exit 130): children stopped, nothing packaged.
    case cancelled(Phase)

    package var description: String {
        switch self {
        case .badInput(let message): message
        case .failed(.build, let message): "build failed: " + message
        case .failed(.healthCheck, let message): message
        case .failed(.package, let message): "packaging failed: " + message
        case .failed(.publish, let message): "publishing failed: " + message
        case .cancelled(.publish): "interrupted while publishing: the repositories keep their last complete, signed state"
        case .cancelled(let phase): "interrupted during the \(phase.rawValue): every child process was stopped and nothing was packaged"
        }
    }
}
