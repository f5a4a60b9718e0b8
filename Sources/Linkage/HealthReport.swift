import Foundation

/// The outcome of a health check: `passed`, and for every file that is not clean, why.
/// Encodes to JSON for CI (`--format json`); `render()` is the text for people.
package struct HealthReport: Sendable, Equatable, Codable {
    /// A file that fails, with everything wrong with it.
    package struct FileReport: Sendable, Equatable, Codable {
        /// Relative to the install dir.
        package let file: String
        /// The software whose build installed the file, when known.
        package let software: String?
        package let findings: [Finding]
    }

    /// A file that starts with the ELF magic but could not be read as ELF (or a directory that
    /// could not be listed). It fails the check: nothing is known about what it links.
    package struct FileError: Sendable, Equatable, Codable {
        package let file: String
        package let software: String?
        package let message: String
    }

    /// A file a project exempted; its findings are listed but do not fail the check.
    package struct ExemptedFile: Sendable, Equatable, Codable {
        package let file: String
        package let software: String?
        package let reason: String
        package let findings: [Finding]
        package let error: String?
    }

    /// The install dir as checked.
    package let installDir: String
    package let passed: Bool
    /// Number of ELF files examined (readable or not).
    package let filesChecked: Int
    /// Failing files, sorted by path.
    package let failures: [FileReport]
    package let errors: [FileError]
    package let exempted: [ExemptedFile]
    /// What the files need from the base system (floors per base library, package relations).
    package var baseSystem: BaseSystemNeeds = .none

    package init(installDir: String, filesChecked: Int, failures: [FileReport], errors: [FileError], exempted: [ExemptedFile]) {
        self.installDir = installDir
        self.filesChecked = filesChecked
        self.failures = failures
        self.errors = errors
        self.exempted = exempted
        self.passed = failures.isEmpty && errors.isEmpty
    }

    /// Pretty-printed JSON with sorted snake_case keys (`files_checked`, `needed_by`), as every
    /// other JSON file of the tool writes them, and a final newline; stable from run to run.
    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
