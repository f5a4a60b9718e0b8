import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One software's log file: every step's command, environment and output, plus the last lines
/// of output kept in memory for the failure report.
final class BuildLog: Sendable {
    private struct State {
        var tail: [String] = []
        var partial = Data()

        mutating func remember(_ line: String, keeping tailSize: Int) {
            tail.append(line)
            if tail.count > tailSize * 2 { tail.removeFirst(tail.count - tailSize) }
        }
    }

    let path: String
    /// A raw descriptor because `FileHandle` is not `Sendable`. It is written only while `state`
    /// is locked, so a note never lands in the middle of a chunk of output.
    private let descriptor: Int32
    private let state = Mutex(State())
    private let tailSize: Int
    private let echo: (@Sendable (String) -> Void)?

    /// - Parameter echo: receives each complete output line (for `--verbose`).
    init(path: String, tailSize: Int = 30, echo: (@Sendable (String) -> Void)? = nil) throws {
        self.path = path
        self.tailSize = tailSize
        self.echo = echo
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw BuildFailure.Reason.io("cannot write the log \(path)")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// A line from the tool itself (step headers, environment), not build output.
    func note(_ line: String) {
        let data = Data((line + "\n").utf8)
        state.withLock { _ in writeAll(data) }
    }

    /// Raw output of a command.
    func output(_ data: Data) {
        let lines = state.withLock { state in
            writeAll(data)
            state.partial.append(data)
            var lines: [String] = []
            while let newline = state.partial.firstIndex(of: 0x0a) {
                lines.append(String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self))
                state.partial.removeSubrange(state.partial.startIndex...newline)
            }
            for line in lines { state.remember(line, keeping: tailSize) }
            return lines
        }
        // Outside the lock: the callback may be slow, and must not hold up other writers.
        if let echo { lines.forEach(echo) }
    }

    /// Forgets the remembered lines, so a failure shows only the failing step's output.
    func startStep() {
        state.withLock { state in
            state.tail.removeAll()
            state.partial.removeAll()
        }
    }

    var lastLines: [String] {
        state.withLock { state in
            var lines = state.tail
            if !state.partial.isEmpty { lines.append(String(decoding: state.partial, as: UTF8.self)) }
            return Array(lines.suffix(tailSize))
        }
    }

    /// The log is a diagnostic aid: a write that fails (disk full, say) loses that chunk rather
    /// than failing the build.
    private func writeAll(_ data: Data) {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
