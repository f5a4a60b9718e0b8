import Foundation

/// How a command shows progress and results, decided once from `--color`, `--quiet`, the
/// environment and whether the streams are terminals (docs/output.md).
struct OutputMode: Sendable, Equatable {
    enum Color: String, Sendable, CaseIterable { case never, auto, always }

    /// The live display (cursor movement, redrawn lines); otherwise plain lines.
    var live: Bool
    /// SGR colour codes on standard error (progress, errors).
    var colorProgress: Bool
    /// SGR colour codes on standard output (results).
    var colorResults: Bool
    /// Only errors and the final result lines.
    var quiet: Bool

    /// `isTerminal` says, for standard output and standard error, whether it is a terminal.
    static func choose(color: Color, quiet: Bool, environment: [String: String],
                       isTerminal: (Int32) -> Bool = { isatty($0) == 1 }) -> OutputMode {
        let stdoutTTY = isTerminal(STDOUT_FILENO)
        let stderrTTY = isTerminal(STDERR_FILENO)
        let term = environment["TERM"] ?? ""
        // A dumb (or unknown) terminal moves no cursor; a CI log is read later, from a file.
        let capableTerminal = !term.isEmpty && term != "dumb"
        let inCI = !(environment["CI"] ?? "").isEmpty && environment["CI"] != "false" && environment["CI"] != "0"
        // Both streams: results written to a pipe while stderr redraws would land inside the live area.
        let live = !quiet && stdoutTTY && stderrTTY && capableTerminal && !inCI
        // no-color.org: any non-empty NO_COLOR turns colour off unless a flag asks for it.
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        func colored(_ tty: Bool) -> Bool {
            switch color {
            case .never: false
            case .always: true
            // A CI log is a file read later, often by tools that show escapes as text.
            case .auto: tty && capableTerminal && !noColor && !inCI
            }
        }
        return OutputMode(live: live, colorProgress: colored(stderrTTY), colorResults: colored(stdoutTTY), quiet: quiet)
    }
}
