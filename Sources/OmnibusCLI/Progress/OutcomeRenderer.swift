import Foundation
import OmnibusKit

/// Prints each finished phase as result lines on standard output.
enum OutcomeRenderer {
    static func render(_ outcome: PhaseOutcome) {
        switch outcome {
        case .built(let result, let seconds):
            var counts = "\(result.built.count) built, \(result.restored.count) restored from cache"
            if !result.restoredRemotely.isEmpty {
                let bytes = result.restoredRemotely.reduce(0) { $0 + $1.bytes }
                counts += ", \(result.restoredRemotely.count) restored from the remote cache (\(bytes) bytes)"
            }
            if !result.uploaded.isEmpty { counts += ", \(result.uploaded.count) uploaded" }
            print("built \(result.project.name) \(result.version) into \(result.project.installDir) in \(String(format: "%.1f", seconds))s (\(counts))")
        case .healthChecked(let report):
            print("health check passed: \(report.filesChecked) ELF file\(report.filesChecked == 1 ? "" : "s") in \(report.installDir) link only inside it or against allowed base libraries")
        case .permissionWarnings(let findings):
            for finding in findings { print("warning: \(finding)") }
            print("(list world-writable, setuid or unreadable in health_check.fail_on to stop the build on these)")
        case .healthCheckDisabled(let project, let file):
            print("WARNING: the linkage health check is DISABLED for \(project) (health_check.enabled: false in \(file)); nothing proves the install dir is self-contained")
        case .packaged(let packages, let seconds):
            for package in packages {
                print("wrote \(package.path) (\(package.metadata.size) bytes, sha256 \(package.metadata.sha256))")
            }
            print(String(format: "packaged in %.1fs", seconds))
        case .warnings(let warnings):
            fflush(nil)
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        case .reportWritten(let paths, let failed):
            if failed {
                fflush(nil)
                for path in paths { FileHandle.standardError.write(Data("build report: \(path)\n".utf8)) }
            } else {
                for path in paths { print("wrote build report \(path)") }
            }
        }
        fflush(nil)
    }
}
