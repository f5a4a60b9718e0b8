import Foundation
import Graph
import Linkage
import Packaging
import Synchronization

/// What `omnibus build` did, for CI: filled in as the phases finish and written as JSON
/// (`<name>-<version>-<iteration>.build.json`) whether the run succeeded or not. Keys are
/// snake_case and sorted; the seconds make two reports of the same build differ, which is why
/// the report is written beside the packages and never into one.
final class BuildReport: Sendable {
    private struct State {
        var project: String
        var version: String?
        var iteration: Int?
        var installDir: String?
        var logsDir: String?
        /// Build order with the chosen versions.
        var software: [(name: String, version: String)] = []
        var result: BuildResult?
        var seconds: [Phase: Double] = [:]
        var health: JSONValue = .object(["status": .string("not_run")])
        var packages: [BuiltPackage] = []
        /// Whether the packages came from the package cache; nil until packaging ended.
        var packagesReused: Bool?
        var outcome: JSONValue = .object(["status": .string("running")])
        var totalSeconds: Double = 0
    }

    let recorder: SoftwareRecorder
    private let state: Mutex<State>

    init(project: String, recorder: SoftwareRecorder) {
        self.recorder = recorder
        state = Mutex(State(project: project))
    }

    func resolved(_ graph: BuildGraph, logsDir: String) {
        state.withLock {
            $0.project = graph.project.name
            $0.iteration = graph.project.iteration
            $0.installDir = graph.project.installDir
            $0.logsDir = logsDir
            $0.software = graph.order.map { ($0.name, $0.version.version) }
        }
    }

    func versioned(_ version: String) { state.withLock { $0.version = version } }
    func built(_ result: BuildResult) { state.withLock { $0.result = result } }
    func packaged(_ packages: [BuiltPackage], reused: Bool) {
        state.withLock { ($0.packages, $0.packagesReused) = (packages, reused) }
    }
    func took(_ seconds: Double, in phase: Phase) { state.withLock { $0.seconds[phase] = seconds } }

    func healthChecked(_ report: HealthReport) { state.withLock { $0.health = Self.summary(of: report) } }
    func healthCheckDisabled() { state.withLock { $0.health = .object(["status": .string("disabled")]) } }
    func healthCheckFailed(permissions: [String]) {
        state.withLock {
            $0.health = .object(["status": .string("failed"), "permission_findings": .array(permissions.map { .string($0) })])
        }
    }

    func finished(_ error: RunError?, totalSeconds: Double) {
        let outcome: JSONValue = switch error {
        case nil: .object(["status": .string("succeeded")])
        case .badInput(let message)?: .object(["status": .string("refused"), "message": .string(message)])
        case .failed(let phase, let message)?:
            .object(["status": .string("failed"), "phase": .string(Self.key(phase)), "message": .string(message)])
        case .cancelled(let phase)?:
            .object(["status": .string("interrupted"), "phase": .string(Self.key(phase)), "message": .string(error!.description)])
        }
        state.withLock {
            $0.outcome = outcome
            $0.totalSeconds = totalSeconds
        }
    }

    /// `<name>-<version>-<iteration>.build.json`, or nil before the version is known.
    var fileName: String? {
        state.withLock { state in
            guard let version = state.version, let iteration = state.iteration else { return nil }
            return "\(state.project)-\(version)-\(iteration).build.json"
        }
    }

    var json: JSONValue {
        let records = recorder.snapshot
        return state.withLock { state in
            let keys = state.result?.manifest.software.mapValues(\.layerKey) ?? [:]
            let uploaded = Set(state.result?.uploaded.map(\.software) ?? [])
            var counts: [SoftwareOutcome: Int64] = [:]
            let software: [JSONValue] = state.software.map { item in
                let record = records[item.name]
                let outcome = record?.outcome ?? .notStarted
                counts[outcome, default: 0] += 1
                let logPath = state.logsDir.map { $0 + "/" + item.name + ".log" }
                return .object([
                    "name": .string(item.name), "version": .string(item.version), "cache_key": .string(keys[item.name]),
                    "outcome": .string(outcome.rawValue), "uploaded": .bool(uploaded.contains(item.name)),
                    "seconds": record?.seconds.map { .decimal($0) } ?? .null,
                    // A restored software ran no step, so it has no log of this run.
                    "log_path": outcome == .built || outcome == .failed || outcome == .stopped ? .string(logPath) : .null,
                    "stray_write_check": record?.strayWriteCheck.map { check in
                        // In milliseconds: the report's three decimals would round a check of a few microseconds to 0.
                        .object(["milliseconds": .decimal(check.seconds * 1000), "directories_listed": .int(Int64(check.directoriesListed)),
                                 "directories_visited": .int(Int64(check.directoriesVisited))])
                    } ?? .null,
                ])
            }
            var seconds: [String: JSONValue] = ["total": .decimal(state.totalSeconds)]
            for (phase, value) in state.seconds { seconds[Self.key(phase)] = .decimal(value) }
            let warnings: [JSONValue] = state.packages.compactMap { package in
                package.replacedSHA256.map { .string(Self.replacedWarning(package, previous: $0)) }
            }
            return .object([
                "report_format": .int(1),
                "tool": .object(["name": .string("omnibus"), "version": .string(OmnibusVersion.current)]),
                "project": .object(["name": .string(state.project), "version": .string(state.version),
                                    "iteration": state.iteration.map { .int(Int64($0)) } ?? .null,
                                    "install_dir": .string(state.installDir)]),
                "outcome": state.outcome,
                "software": .array(software),
                "health_check": state.health,
                "packages": .array(state.packages.map(Self.entry)),
                "packages_reused": state.packagesReused.map { .bool($0) } ?? .null,
                "totals": .object([
                    "software": .int(Int64(state.software.count)), "built": .int(counts[.built] ?? 0),
                    "restored_local": .int(counts[.restoredLocal] ?? 0), "restored_remote": .int(counts[.restoredRemote] ?? 0),
                    "uploaded": .int(Int64(uploaded.count)), "failed": .int(counts[.failed] ?? 0),
                    "seconds": .object(seconds),
                ]),
                "warnings": .array(warnings),
            ])
        }
    }

    /// The warning a package that replaced other bytes under its name gets, in the report and on stderr.
    package static func replacedWarning(_ package: BuiltPackage, previous: String) -> String {
        "\(package.path) replaced a file of the same name with other bytes (sha256 \(previous) -> \(package.metadata.sha256)): the content changed under the same version and iteration \(package.metadata.version)-\(package.metadata.iteration); raise the version or the project's 'iteration' so the two can be told apart"
    }

    /// A package as its metadata file describes it, plus where it and its files are.
    private static func entry(_ package: BuiltPackage) -> JSONValue {
        guard case .object(var fields) = JSONValue(parsed: (try? JSONSerialization.jsonObject(with: package.metadata.encoded())) ?? [:]) else {
            return .null
        }
        fields["path"] = .string(package.path)
        fields["metadata_path"] = .string(package.metadataPath)
        fields["replaced_sha256"] = .string(package.replacedSHA256)
        return .object(fields)
    }

    private static func summary(of report: HealthReport) -> JSONValue {
        var reasons: [String: Int64] = [:]
        for failure in report.failures { for finding in failure.findings { reasons[finding.reason.rawValue, default: 0] += 1 } }
        return .object([
            "status": .string(report.passed ? "passed" : "failed"),
            "files_checked": .int(Int64(report.filesChecked)),
            "failing_files": .int(Int64(report.failures.count)),
            "unreadable_files": .int(Int64(report.errors.count)),
            "exempted_files": .int(Int64(report.exempted.count)),
            "findings_by_reason": .object(reasons.mapValues { .int($0) }),
            "base_system": .object(report.baseSystem.floorVersions.mapValues { .string($0) }),
            "failures": .array(report.failures.map { failure in
                .object(["file": .string(failure.file), "software": .string(failure.software),
                         "reasons": .array(Set(failure.findings.map(\.reason.rawValue)).sorted().map { .string($0) }),
                         "libraries": .array(failure.findings.map { .string($0.library) })])
            }),
            "errors": .array(report.errors.map { error in
                .object(["file": .string(error.file), "software": .string(error.software), "message": .string(error.message)])
            }),
        ])
    }

    /// A phase as the report names it (`health_check`).
    private static func key(_ phase: Phase) -> String { phase.rawValue.replacingOccurrences(of: " ", with: "_") }
}

extension BuildReport {
    var projectName: String { state.withLock { $0.project } }
    /// The project was found, so its work dir is a place of its own to write to.
    var projectResolved: Bool { state.withLock { $0.installDir != nil } }
}

/// Writes a report under a temporary name and renames it, so a reader never sees half of one.
enum BuildReportWriter {
    static func write(_ report: BuildReport, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        try report.json.encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
