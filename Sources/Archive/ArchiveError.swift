import CArchive

/// A libarchive failure, carrying the archive path and libarchive's own message.
package struct ArchiveError: Error, CustomStringConvertible, Sendable {
    package let path: String
    package let message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { "\(path): \(message)" }
}

/// libarchive's message for the last failure on `handle`.
func libarchiveMessage(_ handle: OpaquePointer) -> String {
    archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
}
