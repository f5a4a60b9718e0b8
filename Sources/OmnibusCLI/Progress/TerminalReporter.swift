import Foundation
import OmnibusKit

/// A live table on a terminal: one line per software with its state and elapsed time, redrawn
/// in place; output lines (with --verbose) scroll above it.
final class TerminalReporter: BuildReporter, @unchecked Sendable {
    private struct Row {
        var state: SoftwareState = .waiting
        var since = Date()
    }

    private let lock = NSLock()
    private var order: [String] = []
    private var rows: [String: Row] = [:]
    private var drawnLines = 0
    private var timer: DispatchSourceTimer?
    private let start = Date()

    init() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        self.timer = timer
    }

    deinit { timer?.cancel() }

    func report(_ event: BuildEvent) {
        lock.lock()
        switch event {
        case .planned(let project, let software, let jobs):
            order = software
            for name in software { rows[name] = Row() }
            write("building \(project) with \(jobs) jobs\n")
        case .state(let software, let state):
            var row = rows[software] ?? Row()
            if !Self.sameKind(row.state, state) { row.since = Date() }
            row.state = state
            rows[software] = row
        case .output(let software, let line):
            clear()
            write("\(software) | \(line)\n")
        case .note(let message):
            clear()
            write(message + "\n")
        }
        draw()
        lock.unlock()
    }

    /// Leaves the final table on screen and stops redrawing.
    func finish() {
        lock.lock()
        timer?.cancel()
        timer = nil
        draw()
        drawnLines = 0
        lock.unlock()
    }

    private func redraw() {
        lock.lock()
        draw()
        lock.unlock()
    }

    private func draw() {
        clear()
        let width = order.map(\.count).max() ?? 0
        var text = ""
        for name in order {
            let row = rows[name] ?? Row()
            let elapsed: String
            switch row.state {
            case .done(let seconds): elapsed = String(format: "%.1fs", seconds)
            case .waiting, .cached, .failed, .stopped: elapsed = ""
            default: elapsed = String(format: "%.0fs", Date().timeIntervalSince(row.since))
            }
            let status = PlainReporter.describe(row.state)
            let marker: String = switch row.state {
            case .done, .cached: "\u{1B}[32m✓\u{1B}[0m"
            case .failed: "\u{1B}[31m✗\u{1B}[0m"
            case .waiting: "·"
            default: "\u{1B}[33m▸\u{1B}[0m"
            }
            text += " \(marker) \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(status.prefix(60))  \(elapsed)\n"
        }
        text += String(format: "   elapsed %.0fs\n", Date().timeIntervalSince(start))
        write(text)
        drawnLines = order.count + 1
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)F\u{1B}[J")
        drawnLines = 0
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func sameKind(_ a: SoftwareState, _ b: SoftwareState) -> Bool {
        switch (a, b) {
        case (.building(let x, _, _), .building(let y, _, _)): x == y
        default: "\(a)" == "\(b)"
        }
    }
}
