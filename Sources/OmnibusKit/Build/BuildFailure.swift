import Definitions

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

        package init(_ failure: StepFailure) {
            switch failure {
            case .commandFailed(let command, let status): self = .commandFailed(command: command, status: status)
            case .invalid(let message): self = .invalidStep(message)
            case .io(let message): self = .io(message)
            case .cancelled: self = .cancelled
            }
        }
    }

    /// A step of a software's build: 1-based number, how it is shown, where it is written.
    package struct Step: Sendable {
        package let index: Int
        package let count: Int
        package let kind: String
        package let location: SourceLocation?

        package init(index: Int, count: Int, kind: String, location: SourceLocation? = nil) {
            self.index = index
            self.count = count
            self.kind = kind
            self.location = location
        }
    }

    package let software: String
    /// The step that was running, if any.
    package let step: Step?
    package let reason: Reason
    package let lastLines: [String]
    package let logPath: String

    package init(software: String, step: Step?, reason: Reason,
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
            let location = step.location.map { "\($0): " } ?? ""
            lines.append("\(location)\(software): step \(step.index)/\(step.count) (\(step.kind)) failed: \(reason)")
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
