import Foundation
import Synchronization

/// The install dir cannot be checked at all.
package struct HealthCheckError: Error, Sendable, Equatable, CustomStringConvertible {
    package let installDir: String
    package let reason: String
    package var description: String { "cannot check \(installDir): \(reason)" }
}

/// Proves that nothing under an install dir links outside it: every regular file starting with
/// the ELF magic is read (never run), its libraries resolved as the loader would on the target,
/// and the result judged against a policy. Files are checked in parallel; the report order is
/// by path, whatever the scheduling.
package struct HealthChecker: Sendable {
    package let resolver: LibraryResolver

    package init(resolver: LibraryResolver = LibraryResolver()) {
        self.resolver = resolver
    }

    /// - Parameters:
    ///   - installDir: the directory checked in place, as it will be on the target (`/opt/<name>`).
    ///   - policy: allow-list and exemptions.
    ///   - owners: file path relative to `installDir` -> the software that installed it.
    /// - isCancelled: polled before each file; once true the check stops with an error.
    package func check(installDir: String, policy: HealthCheckPolicy = HealthCheckPolicy(),
                      owners: [String: String] = [:],
                      isCancelled: @Sendable () -> Bool = { false }) throws(HealthCheckError) -> HealthReport {
        var trimmed = PathNames.absolute(installDir)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let root = trimmed
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw HealthCheckError(installDir: installDir, reason: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw HealthCheckError(installDir: installDir, reason: "not a directory")
        }
        let judge = LinkageJudge(root: root, canonicalRoot: resolver.canonical(root), policy: policy, resolver: resolver)
        let listing = InstallTree.regularFiles(under: root)
        let files = policy.notLoaded.isEmpty ? listing.files : listing.files.filter { !policy.isNotLoaded($0) }
        let outcomes = Outcomes(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            guard !isCancelled() else { return }
            outcomes[index] = judge.examine(root == "/" ? "/" + files[index] : root + "/" + files[index])
        }

        if isCancelled() { throw HealthCheckError(installDir: installDir, reason: "interrupted") }
        var failures: [HealthReport.FileReport] = []
        var errors = listing.unreadable.map { HealthReport.FileError(file: $0.0, software: nil, message: "cannot list directory: \($0.1)") }
        var exempted: [HealthReport.ExemptedFile] = []
        var checked = 0
        for (index, file) in files.enumerated() {
            let software = owners[file]
            let findings: [Finding]
            let error: String?
            switch outcomes[index] {
            case .notELF: continue
            case .unreadable(let message): (findings, error) = ([], message)
            case .checked(let found): (findings, error) = (found, nil)
            }
            checked += 1
            if let exemption = policy.exemption(for: file) {
                exempted.append(.init(file: file, software: software, reason: exemption.reason, findings: findings, error: error))
            } else if let error {
                errors.append(.init(file: file, software: software, message: error))
            } else if !findings.isEmpty {
                failures.append(.init(file: file, software: software, findings: findings))
            }
        }
        // Symbol versions come from the sections, which the loader walk never reads; a file whose
        // version table is broken fails like any unreadable ELF file.
        let known = Set(errors.map(\.file) + exempted.map(\.file))
        let elfFiles = files.indices.filter { if case .notELF = outcomes[$0] { false } else { true } }.map { files[$0] }
        let base = BaseSystemScan.scan(root: root, files: elfFiles)
        for (file, error) in base.errors where !known.contains(file) {
            errors.append(.init(file: file, software: owners[file], message: error.description))
        }
        var report = HealthReport(installDir: root, filesChecked: checked, failures: failures, errors: errors, exempted: exempted)
        report.baseSystem = base.needs
        return report
    }
}

/// What examining one file gave.
enum FileOutcome: Sendable {
    case notELF
    case unreadable(String)
    case checked([Finding])
}

/// Result slots filled from concurrent iterations; each index is written by exactly one
/// iteration and read only after all have finished. Writes to distinct indices still race on the
/// array itself, hence the lock.
private final class Outcomes: Sendable {
    private let slots: Mutex<[FileOutcome]>

    init(count: Int) { slots = Mutex(Array(repeating: .notELF, count: count)) }

    subscript(index: Int) -> FileOutcome {
        get { slots.withLock { $0[index] } }
        set { slots.withLock { $0[index] = newValue } }
    }
}
