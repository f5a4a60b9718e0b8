import Foundation
import Synchronization

/// The one way the CLI writes while a command runs. Every line goes out with `write(2)` as it is
/// made (no stdio buffer), so with `2>&1` the order in the file is the order things happened;
/// and a live area drawn on the terminal is erased first, so a line never lands inside it.
final class Console: Sendable {
    enum Stream { case results, progress }

    static let shared = Console()

    private struct State {
        /// The display width of each line of the live area now on screen, and the terminal
        /// width it was drawn for; empty when nothing is drawn.
        var liveWidths: [Int] = []
        var liveColumns = 0
    }

    private let state = Mutex(State())

    /// Writes whole lines (a newline is added when missing).
    func line(_ text: String, to stream: Stream) {
        self.text(text.hasSuffix("\n") ? text : text + "\n", to: stream)
    }

    /// Writes `text` as it is (a report that ends its own lines), in place of the live area.
    func text(_ text: String, to stream: Stream) {
        state.withLock { state in
            guard !state.liveWidths.isEmpty else {
                Self.write(text, to: stream == .results ? STDOUT_FILENO : STDERR_FILENO)
                return
            }
            // Both streams are the same terminal when a live area is drawn (`OutputMode`).
            let up = Self.up(&state, columns: nil)
            Self.write(up + "\u{1B}[J", to: STDERR_FILENO)
            Self.write(text, to: stream == .results ? STDOUT_FILENO : STDERR_FILENO)
        }
    }

    /// Replaces the live area on standard error with `lines` (each narrower than `columns`),
    /// writing `permanent` (whole lines) above it first, in one write. Each row is overwritten
    /// and cleared to its end, and only what is left below is erased: tmux moves the screen
    /// into its scrollback when it is erased from the top-left corner ("scroll-on-clear"),
    /// which erasing the whole area first would do to an area at the top of the window.
    func drawLive(permanent: [String], lines: [DisplayLine], columns: Int) {
        state.withLock { state in
            // Nothing drawn and nothing to draw (a command with no build yet): no bytes at all.
            if permanent.isEmpty && lines.isEmpty && state.liveWidths.isEmpty { return }
            let rows = permanent + lines.map(\.text)
            let text = Self.up(&state, columns: columns) + rows.map { $0 + "\u{1B}[K\n" }.joined() + "\u{1B}[J"
            Self.write(text, to: STDERR_FILENO)
            state.liveWidths = lines.map(\.width)
            state.liveColumns = columns
        }
    }

    /// Leaves what is drawn on screen as ordinary lines that scroll away.
    func keepLive() {
        state.withLock { $0.liveWidths = [] }
    }

    /// The bytes that take the cursor to the first row of the live area: it sits at the start of
    /// the row below it, so up as many rows as the area takes now. A terminal made narrower
    /// since (`columns`) may have rewrapped each line over several rows, as tmux and most
    /// emulators do; one that cut them instead makes this count high, and the cursor stops at
    /// the top of the screen.
    private static func up(_ state: inout State, columns: Int?) -> String {
        guard !state.liveWidths.isEmpty else { return "" }
        let now = columns ?? TerminalSize.current(of: STDERR_FILENO)?.columns ?? state.liveColumns
        let rows = state.liveWidths.reduce(0) { total, width in
            total + (now < state.liveColumns && width > now ? (width + now - 1) / max(now, 1) : 1)
        }
        state.liveWidths = []
        return "\r\u{1B}[\(rows)A"
    }

    /// All of `text`, retrying short writes and EINTR; a closed stream (EPIPE) ends it quietly.
    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
