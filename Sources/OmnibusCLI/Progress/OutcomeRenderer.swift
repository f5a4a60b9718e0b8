import Foundation
import OmnibusKit
import Synchronization

/// The result lines of a run on standard output, each phase's as it finishes, and the line
/// that says how the run ended. `build`'s "built … into …" is printed only once every phase
/// succeeded: a build stopped by the health check or packaging says it was built but not
/// packaged instead, after the error, so the last line read is the truthful one.
final class OutcomeRenderer: Sendable {
    private struct Built {
        let result: BuildResult
        let seconds: Double
    }

    private let quiet: Bool
    private let built = Mutex<Built?>(nil)

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func render(_ outcome: PhaseOutcome) {
        switch outcome {
        case .built(let result, let seconds):
            built.withLock { $0 = Built(result: result, seconds: seconds) }
        case .healthChecked(let report):
            guard !quiet else { return }
            Self.result("health check passed: \(report.filesChecked) ELF file\(report.filesChecked == 1 ? "" : "s") in \(report.installDir) link only inside it or against allowed base libraries")
            if let summary = report.baseSystem.summary { Self.result("where it runs: \(summary)") }
        case .permissionWarnings(let findings):
            for finding in findings { Self.result("warning: \(finding)") }
            Self.result("(list world-writable, setuid or unreadable in health_check.fail_on to stop the build on these)")
        case .healthCheckDisabled(let project, let file):
            Self.result("WARNING: the linkage health check is DISABLED for \(project) (health_check.enabled: false in \(file)); nothing proves the install dir is self-contained")
        case .packaged(let packages, let seconds, let reused):
            // Reused packages are the bytes packaging would write; the line says they were not written now.
            let verb = reused ? "reused" : "wrote"
            for package in packages {
                Self.result("\(verb) \(package.path) (\(package.metadata.size) bytes, sha256 \(package.metadata.sha256))")
            }
            if !quiet {
                Self.result(reused ? String(format: "packages reused from the package cache in %.1fs (nothing they are made from changed)", seconds)
                                   : String(format: "packaged in %.1fs", seconds))
            }
        case .warnings(let warnings):
            for warning in warnings { Self.result("warning: \(warning)") }
        case .reportWritten(let paths, let failed):
            // After a failure the report is what CI uploads: said beside the error, on the progress stream.
            for path in paths {
                if failed { Console.shared.line("build report: \(path)", to: .progress) } else if !quiet { Self.result("wrote build report \(path)") }
            }
        }
    }

    /// The last line of `build`: success, or what was built and where the run stopped.
    func finishBuild(_ error: RunError?) {
        guard let built = built.withLock({ $0 }) else { return }
        let result = built.result
        let what = "\(result.project.name) \(result.version)"
        let time = String(format: "%.1f", built.seconds)
        guard let error else {
            Self.result("built \(what) into \(result.project.installDir) in \(time)s (\(Self.counts(result)))")
            return
        }
        let stop = switch error {
        case .failed(.healthCheck, _): "the health check failed"
        case .failed(.package, _): "packaging failed"
        case .cancelled: "the run was interrupted"
        case .failed, .badInput: "the run failed"
        }
        Self.result("NOT PACKAGED: \(what) was built into \(result.project.installDir) in \(time)s (\(Self.counts(result))), but \(stop)")
    }

    static func counts(_ result: BuildResult) -> String {
        var counts = "\(result.built.count) built, \(result.restored.count) restored from cache"
        if !result.restoredRemotely.isEmpty {
            let bytes = result.restoredRemotely.reduce(0) { $0 + $1.bytes }
            counts += ", \(result.restoredRemotely.count) restored from the remote cache (\(bytes) bytes)"
        }
        if !result.uploaded.isEmpty { counts += ", \(result.uploaded.count) uploaded" }
        return counts
    }

    private static func result(_ line: String) {
        Console.shared.line(line, to: .results)
    }
}
