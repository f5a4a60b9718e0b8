import Foundation
import OmnibusKit
import Synchronization

/// The live display on a terminal: finished software and notes as permanent lines, printed
/// once each, above a live area of one line per running software and a summary, redrawn in
/// place every second, at once on each event and when the window is resized (SIGWINCH). The
/// area is drawn for the terminal's size at that moment, so it never wraps or outgrows it.
final class TerminalReporter: BuildReporter, Sendable {
    private struct State {
        var board: LiveBoard
        var finished = false
        /// Dispatch sources are not `Sendable`; they live, and are cancelled, inside the lock.
        var timer: DispatchSourceTimer?
        var resize: DispatchSourceSignal?
    }

    private let state: Mutex<State>
    private let color: Bool

    init(color: Bool) {
        self.color = color
        state = Mutex(State(board: LiveBoard(start: Date())))
        state.withLock { state in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 1, repeating: 1)
            timer.setEventHandler { [weak self] in self?.redraw() }
            timer.resume()
            // The signal source runs its handler on a queue, not in the signal handler, so the
            // redraw may lock and allocate; the default action for SIGWINCH is already "ignore".
            let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
            resize.setEventHandler { [weak self] in self?.redraw() }
            resize.resume()
            state.timer = timer
            state.resize = resize
        }
    }

    deinit { stopSources() }

    func report(_ event: BuildEvent) {
        state.withLock { state in
            state.board.apply(event, at: Date())
            draw(&state)
        }
    }

    /// Draws the last state and leaves it on screen as ordinary lines; nothing is drawn after.
    func finish() {
        state.withLock { state in
            guard !state.finished else { return }
            draw(&state)
            state.finished = true
            Console.shared.keepLive()
        }
        stopSources()
    }

    private func stopSources() {
        state.withLock { state in
            state.timer?.cancel()
            state.resize?.cancel()
            state.timer = nil
            state.resize = nil
        }
    }

    private func redraw() {
        state.withLock { draw(&$0) }
    }

    private func draw(_ state: inout State) {
        guard !state.finished else { return }
        let size = TerminalSize.current(of: STDERR_FILENO) ?? TerminalSize(columns: 80, rows: 24)
        let permanent = state.board.takePermanent(columns: size.columns).map { Self.styled($0, color) }
        let lines = state.board.liveLines(now: Date(), size: size, color: color)
        Console.shared.drawLive(permanent: permanent, lines: lines, columns: size.columns)
    }

    /// The leading ✓ or ✗ of a finished line in green or red.
    static func styled(_ line: String, _ color: Bool) -> String {
        guard color, let first = line.first else { return line }
        let code = switch first {
        case "✓": "32"
        case "✗": "31"
        default: ""
        }
        return code.isEmpty ? line : "\u{1B}[\(code)m\(first)\u{1B}[0m" + line.dropFirst()
    }
}
