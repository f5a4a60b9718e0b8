/// Why a file could not be read as an ELF object. Always names the file, so a report line is
/// actionable on its own.
package struct ELFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong with the file.
    package enum Problem: Sendable, Equatable {
        /// The file could not be opened or read (`errno` text).
        case unreadable(String)
        /// Not a regular file (a directory, a FIFO, a device...).
        case notRegularFile
        /// The file does not start with `\x7fELF`.
        case notELF
        /// The file ends before a structure the header promises.
        case truncated(what: String, needed: UInt64, size: UInt64)
        /// A header field holds a value no valid ELF file has.
        case malformed(String)
    }

    /// The file, as it was given to the reader.
    package let path: String
    package let problem: Problem

    package init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    package var description: String {
        switch problem {
        case .unreadable(let reason): "\(path): cannot read: \(reason)"
        case .notRegularFile: "\(path): not a regular file"
        case .notELF: "\(path): not an ELF file (no \\x7fELF magic)"
        case .truncated(let what, let needed, let size):
            "\(path): truncated ELF file: the \(what) needs \(needed) bytes but the file has \(size)"
        case .malformed(let reason): "\(path): malformed ELF file: \(reason)"
        }
    }
}
