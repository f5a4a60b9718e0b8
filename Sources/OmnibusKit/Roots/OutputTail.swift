import Foundation
import Synchronization

/// The last lines a child printed, kept for an error message without holding all its output.
final class OutputTail: Sendable {
    private let buffer = Mutex(Data())
    private let limit = 8192
    /// Bytes after the last newline: a line the child has not finished yet.
    private let partial = Mutex(Data())

    func append(_ data: Data) {
        buffer.withLock { bytes in
            bytes.append(data)
            if bytes.count > limit { bytes = Data(bytes.suffix(limit)) }
        }
    }

    /// Appends `data` and returns the lines it completed: output arrives in pipe-sized pieces
    /// that may cut a line anywhere.
    func appendLines(_ data: Data) -> [String] {
        append(data)
        return partial.withLock { pending in
            pending.append(data)
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
            let complete = pending[pending.startIndex..<last]
            pending = Data(pending[pending.index(after: last)...])
            return complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// What is left of an unfinished last line once the child has ended.
    func rest() -> String? {
        partial.withLock { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) }
    }

    var lastLines: String {
        let text = buffer.withLock { String(decoding: $0, as: UTF8.self) }
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}
