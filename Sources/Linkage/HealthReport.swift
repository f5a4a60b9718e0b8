import Foundation

/// The outcome of a health check: `passed`, and for every file that is not clean, why.
/// Encodes to JSON for CI (`--format json`); `render()` is the text for people.
public struct HealthReport: Sendable, Equatable, Codable {
    /// A file that fails, with everything wrong with it.
    public struct FileReport: Sendable, Equatable, Codable {
        /// Relative to the install dir.
        public let file: String
        /// The software whose build installed the file, when known.
        public let software: String?
        public let findings: [Finding]
    }

    /// A file that starts with the ELF magic but could not be read as ELF (or a directory that
    /// could not be listed). It fails the check: nothing is known about what it links.
    public struct FileError: Sendable, Equatable, Codable {
        public let file: String
        public let software: String?
        public let message: String
    }

    /// A file a project exempted; its findings are listed but do not fail the check.
    public struct ExemptedFile: Sendable, Equatable, Codable {
        public let file: String
        public let software: String?
        public let reason: String
        public let findings: [Finding]
        public let error: String?
    }

    /// The install dir as checked.
    public let installDir: String
    public let passed: Bool
    /// Number of ELF files examined (readable or not).
    public let filesChecked: Int
    /// Failing files, sorted by path.
    public let failures: [FileReport]
    public let errors: [FileError]
    public let exempted: [ExemptedFile]

    public init(installDir: String, filesChecked: Int, failures: [FileReport], errors: [FileError], exempted: [ExemptedFile]) {
        self.installDir = installDir
        self.filesChecked = filesChecked
        self.failures = failures
        self.errors = errors
        self.exempted = exempted
        self.passed = failures.isEmpty && errors.isEmpty
    }

    /// Pretty-printed JSON with sorted keys and a final newline, stable from run to run.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
