import Foundation
import Synchronization

/// The last lines a child printed, kept for an error message without holding all its output.
final class OutputTail: Sendable {
    private let buffer = Mutex(Data())
    private let limit = 8192

    func append(_ data: Data) {
        buffer.withLock { bytes in
            bytes.append(data)
            if bytes.count > limit { bytes = Data(bytes.suffix(limit)) }
        }
    }

    var lastLines: String {
        let text = buffer.withLock { String(decoding: $0, as: UTF8.self) }
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}
