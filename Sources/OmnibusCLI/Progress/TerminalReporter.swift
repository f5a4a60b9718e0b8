import Foundation
import OmnibusKit
import Synchronization

/// A live table on a terminal: one line per software with its state and elapsed time, redrawn
/// in place; output lines (with --verbose) scroll above it.
final class TerminalReporter: BuildReporter, Sendable {
    private struct Row {
        var state: SoftwareState = .waiting
        var since = Date()
    }

    /// Everything drawing touches, behind one lock so the timer's redraws and events never
    /// interleave their escape sequences.
    private struct Screen {
        var order: [String] = []
        var rows: [String: Row] = [:]
        var drawnLines = 0
        var timer: DispatchSourceTimer?

        mutating func draw(start: Date) {
            clear()
            let width = order.map(\.count).max() ?? 0
            var text = ""
            for name in order {
                let row = rows[name] ?? Row()
                let elapsed: String
                switch row.state {
                case .done(let seconds): elapsed = String(format: "%.1fs", seconds)
                case .waiting, .cached, .restoredRemotely, .failed, .stopped: elapsed = ""
                default: elapsed = String(format: "%.0fs", Date().timeIntervalSince(row.since))
                }
                let status = PlainReporter.describe(row.state)
                let marker: String = switch row.state {
                case .done, .cached, .restoredRemotely: "\u{1B}[32m✓\u{1B}[0m"
                case .failed: "\u{1B}[31m✗\u{1B}[0m"
                case .waiting: "·"
                default: "\u{1B}[33m▸\u{1B}[0m"
                }
                text += " \(marker) \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(status.prefix(60))  \(elapsed)\n"
            }
            text += String(format: "   elapsed %.0fs\n", Date().timeIntervalSince(start))
            TerminalReporter.write(text)
            drawnLines = order.count + 1
        }

        mutating func clear() {
            guard drawnLines > 0 else { return }
            TerminalReporter.write("\u{1B}[\(drawnLines)F\u{1B}[J")
            drawnLines = 0
        }
    }

    private let screen = Mutex(Screen())
    private let start = Date()

    init() {
        // Made inside the lock: a timer (not `Sendable`) made outside could not be moved in.
        screen.withLock { screen in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 1, repeating: 1)
            timer.setEventHandler { [weak self] in self?.redraw() }
            timer.resume()
            screen.timer = timer
        }
    }

    deinit { screen.withLock { $0.timer?.cancel() } }

    func report(_ event: BuildEvent) {
        screen.withLock { screen in
            switch event {
            case .planned(let project, let software, let jobs):
                screen.order = software
                for name in software { screen.rows[name] = Row() }
                Self.write("building \(project) with \(jobs) jobs\n")
            case .state(let software, let state):
                var row = screen.rows[software] ?? Row()
                if !Self.sameKind(row.state, state) { row.since = Date() }
                row.state = state
                screen.rows[software] = row
            case .output(let software, let line):
                screen.clear()
                Self.write("\(software) | \(line)\n")
            case .note(let message):
                screen.clear()
                Self.write(message + "\n")
            }
            screen.draw(start: start)
        }
    }

    /// Leaves the final table on screen and stops redrawing.
    func finish() {
        screen.withLock { screen in
            screen.timer?.cancel()
            screen.timer = nil
            screen.draw(start: start)
            screen.drawnLines = 0
        }
    }

    private func redraw() {
        screen.withLock { $0.draw(start: start) }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func sameKind(_ a: SoftwareState, _ b: SoftwareState) -> Bool {
        switch (a, b) {
        case (.building(let x, _, _), .building(let y, _, _)): x == y
        default: "\(a)" == "\(b)"
        }
    }
}
