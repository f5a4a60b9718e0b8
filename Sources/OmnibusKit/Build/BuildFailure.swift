/// Why a software failed to build, with what the user needs to act: the step, the command, the
/// exit status, the end of its output and where the whole log is.
package struct BuildFailure: Error, Sendable, CustomStringConvertible {
    package enum Reason: Error, Sendable, CustomStringConvertible {
        case commandFailed(command: String, status: Int32)
        case invalidStep(String)
        case fetch(String)
        case merge(String)
        case io(String)
        case cancelled

        package var description: String {
            switch self {
            case .commandFailed(let command, let status): "command exited with status \(status): \(command)"
            case .invalidStep(let message), .fetch(let message), .merge(let message), .io(let message): message
            case .cancelled: "stopped"
            }
        }
    }

    package let software: String
    /// 1-based step number and its kind, when a step was running.
    package let step: (index: Int, count: Int, kind: String)?
    package let reason: Reason
    package let lastLines: [String]
    package let logPath: String

    package init(software: String, step: (index: Int, count: Int, kind: String)?, reason: Reason,
                lastLines: [String], logPath: String) {
        self.software = software
        self.step = step
        self.reason = reason
        self.lastLines = lastLines
        self.logPath = logPath
    }

    package var description: String {
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
