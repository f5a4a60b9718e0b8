/// Why a software failed to build, with what the user needs to act: the step, the command, the
/// exit status, the end of its output and where the whole log is.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public enum Reason: Error, Sendable, CustomStringConvertible {
        case commandFailed(command: String, status: Int32)
        case invalidStep(String)
        case fetch(String)
        case merge(String)
        case io(String)
        case cancelled

        public var description: String {
            switch self {
            case .commandFailed(let command, let status): "command exited with status \(status): \(command)"
            case .invalidStep(let message), .fetch(let message), .merge(let message), .io(let message): message
            case .cancelled: "stopped"
            }
        }
    }

    public let software: String
    /// 1-based step number and its kind, when a step was running.
    public let step: (index: Int, count: Int, kind: String)?
    public let reason: Reason
    public let lastLines: [String]
    public let logPath: String

    public init(software: String, step: (index: Int, count: Int, kind: String)?, reason: Reason,
                lastLines: [String], logPath: String) {
        self.software = software
        self.step = step
        self.reason = reason
        self.lastLines = lastLines
        self.logPath = logPath
    }

    public var description: String {
        var lines: [String] = []
        if let step {
            lines.append("\(software): step \(step.index)/\(step.count) (\(step.kind)) failed: \(reason)")
        } else {
            lines.append("\(software): \(reason)")
        }
        if !lastLines.isEmpty {
            lines.append("--- last \(lastLines.count) lines of output ---")
            lines += lastLines.map { "  " + $0 }
            lines.append("---")
        }
        lines.append("full log: \(logPath)")
        return lines.joined(separator: "\n")
    }
}
