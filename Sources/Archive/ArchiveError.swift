import CArchive

/// A libarchive failure, carrying the archive path and libarchive's own message.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// libarchive's message for the last failure on `handle`.
func libarchiveMessage(_ handle: OpaquePointer) -> String {
    archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
}
