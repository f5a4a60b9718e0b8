import Foundation

/// One software's log file: every step's command, environment and output, plus the last lines
/// of output kept in memory for the failure report.
final class BuildLog: @unchecked Sendable {
    let path: String
    private let handle: FileHandle
    private let lock = NSLock()
    private var tail: [String] = []
    private var partial = Data()
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
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw BuildFailure.Reason.io("cannot write the log \(path)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// A line from the tool itself (step headers, environment), not build output.
    func note(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data((line + "\n").utf8))
    }

    /// Raw output of a command.
    func output(_ data: Data) {
        lock.lock()
        handle.write(data)
        partial.append(data)
        var lines: [String] = []
        while let newline = partial.firstIndex(of: 0x0a) {
            lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
            partial.removeSubrange(partial.startIndex...newline)
        }
        for line in lines { remember(line) }
        lock.unlock()
        if let echo { lines.forEach(echo) }
    }

    /// Forgets the remembered lines, so a failure shows only the failing step's output.
    func startStep() {
        lock.lock()
        tail.removeAll()
        partial.removeAll()
        lock.unlock()
    }

    var lastLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        var lines = tail
        if !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
        return Array(lines.suffix(tailSize))
    }

    private func remember(_ line: String) {
        tail.append(line)
        if tail.count > tailSize * 2 { tail.removeFirst(tail.count - tailSize) }
    }
}
