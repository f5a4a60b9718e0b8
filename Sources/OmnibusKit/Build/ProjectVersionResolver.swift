import Definitions
import Foundation

/// Turns a project's `version:` into the string that goes into package names.
package enum ProjectVersionResolver {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package static func resolve(_ version: ProjectVersion, repositoryRoot: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) async throws(Failure) -> String {
        let resolved = try await unchecked(version, repositoryRoot: repositoryRoot, environment: environment)
        // A version from the environment or git reaches file names: it follows the same rule as a written one.
        if let problem = PackageFieldRules.versionProblem(resolved) {
            throw Failure(description: "the project's version \(problem)")
        }
        return resolved
    }

    private static func unchecked(_ version: ProjectVersion, repositoryRoot: String,
                                  environment: [String: String]) async throws(Failure) -> String {
        switch version {
        case .literal(let text):
            return text
        case .environment(let variable, let fallback):
            if let value = environment[variable], !value.isEmpty { return value }
            if let fallback { return fallback }
            throw Failure(description: "the project takes its version from $\(variable), which is not set (export \(variable)=1.2.3, or add 'default:' to 'version:')")
        case .gitDescribe:
            let output = await HostIdentity.capture(["git", "-C", repositoryRoot, "describe", "--tags"])
            guard var text = output?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw Failure(description: "the project takes its version from 'git describe --tags' in \(repositoryRoot), which found no tag; tag a release (git tag v1.0.0) or use a literal version")
            }
            if text.hasPrefix("v"), text.dropFirst().first?.isNumber == true { text.removeFirst() }
            // 1.2.0-3-gabc1234 -> 1.2.0+3.gabc1234: a later commit sorts after the tag in dpkg and rpm.
            let parts = text.split(separator: "-")
            if parts.count >= 3, let count = Int(parts[parts.count - 2]), parts.last!.hasPrefix("g") {
                text = parts.dropLast(2).joined(separator: "-") + "+\(count).\(parts.last!)"
            }
            return text
        }
    }
}

/// The timestamp packages clamp to: `SOURCE_DATE_EPOCH` if set, else the packaging repository's
/// last commit, else a fixed date, so a build never depends on the wall clock.
package enum SourceDateEpoch {
    /// 2000-01-01T00:00:00Z: after 1975 (lintian), and obviously not a real build date.
    package static let fallback = 946_684_800

    package static func resolve(repositoryRoot: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int {
        if let text = environment["SOURCE_DATE_EPOCH"], let value = Int(text), value >= 0 { return value }
        if let output = await HostIdentity.capture(["git", "-C", repositoryRoot, "log", "-1", "--format=%ct"]),
           let value = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return value
        }
        return fallback
    }
}
