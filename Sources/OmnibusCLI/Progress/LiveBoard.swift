import Foundation
import OmnibusKit

/// What the live display shows, apart from any terminal: the state of every software, the
/// lines to print once above the live area (finished software, notes), and the live area itself
/// for a given terminal size. `TerminalReporter` feeds it events and draws what it returns.
struct LiveBoard {
    private struct Entry {
        var state: SoftwareState = .waiting
        /// When the current step (or fetch, or merge) began.
        var since: Date
        var announced = false
    }

    private var project = ""
    private var order: [String] = []
    private var entries: [String: Entry] = [:]
    private var permanent: [(text: String, finished: Bool)] = []
    private let start: Date

    init(start: Date) {
        self.start = start
    }

    mutating func apply(_ event: BuildEvent, at now: Date) {
        switch event {
        case .planned(let project, let software, _):
            self.project = project
            order = software
            for name in software { entries[name] = Entry(since: now) }
        case .state(let software, let state):
            var entry = entries[software] ?? Entry(since: now)
            if entries[software] == nil { order.append(software) }
            // A software is announced once: a later state (a merge failing after "done") changes nothing on screen.
            guard !entry.announced else { return }
            let previous = entry.state
            if !Self.sameStep(previous, state) { entry.since = now }
            entry.state = state
            if let line = Self.finishedLine(software, state, previous: previous) {
                entry.announced = true
                permanent.append((line, true))
            }
            entries[software] = entry
        case .output(let software, let line):
            permanent.append(("\(software) | \(line)", false))
        case .note(let message):
            permanent.append((message, false))
        case .strayWriteCheck:
            // A measurement for the build report; the display has nothing to say about it.
            break
        }
    }

    /// The lines not printed yet, each once. A finished software's line is cut to `columns`
    /// like the live area; notes and build output are kept whole, as the terminal wraps them
    /// (they are read, and wrapping above the live area moves nothing the display counts).
    mutating func takePermanent(columns: Int) -> [String] {
        defer { permanent = [] }
        return permanent.map { $0.finished ? DisplayText.truncated(DisplayText.sanitized($0.text), to: columns - 1) : $0.text }
    }

    /// The live area for a terminal of `size`: one line per running software, then a summary;
    /// never wider than the terminal (minus one column, so no terminal wraps early), never
    /// taller than it (minus the cursor's row).
    func liveLines(now: Date, size: TerminalSize, color: Bool) -> [DisplayLine] {
        let budget = size.rows - 1
        guard budget > 0, !order.isEmpty else { return [] }
        let running = order.filter { entries[$0].map { Self.isRunning($0.state) } ?? false }
        let nameWidth = min(order.map(DisplayText.width).max() ?? 0, max(8, size.columns / 4))
        let slots = budget - 1
        let shown = running.count <= slots ? running : Array(running.prefix(max(0, slots - 1)))
        var lines = shown.map { name -> DisplayLine in
            let entry = entries[name]!
            let elapsed = Durations.text(now.timeIntervalSince(entry.since))
            let label = DisplayText.sanitized(Self.label(entry.state))
            return Self.fit(marker: "▸", color: "33", body: "\(Self.padded(name, to: nameWidth))  \(Self.padded(elapsed, to: 5))  \(label)",
                            columns: size.columns, colored: color)
        }
        if shown.count < running.count, slots > 0 {
            lines.append(Self.fit(marker: " ", color: nil, body: "… and \(running.count - shown.count) more running",
                                  columns: size.columns, colored: color))
        }
        lines.append(Self.fit(marker: " ", color: nil, body: summary(now: now, running: running.count), columns: size.columns, colored: color))
        return lines
    }

    private func summary(now: Date, running: Int) -> String {
        let states = order.compactMap { entries[$0]?.state }
        let done = states.filter(Self.isFinished).count
        let queued = states.filter { $0 == .waiting }.count
        return "\(Durations.text(now.timeIntervalSince(start)))  \(project): \(done)/\(order.count) done, \(running) running, \(queued) queued"
    }

    /// ` ▸ body`, cut to fit, the marker coloured; colour codes take no columns.
    private static func fit(marker: String, color: String?, body: String, columns: Int, colored: Bool) -> DisplayLine {
        let plain = DisplayText.truncated(" \(marker) \(body)", to: columns - 1)
        guard colored, let color, plain.count >= 3 else { return DisplayLine(text: plain, width: DisplayText.width(plain)) }
        let markerEnd = plain.index(plain.startIndex, offsetBy: 2)
        let text = " \u{1B}[\(color)m\(plain[plain.index(after: plain.startIndex)..<markerEnd])\u{1B}[0m\(plain[markerEnd...])"
        return DisplayLine(text: text, width: DisplayText.width(plain))
    }

    private static func padded(_ text: String, to width: Int) -> String {
        let cut = DisplayText.truncated(DisplayText.sanitized(text), to: width)
        return cut + String(repeating: " ", count: max(0, width - DisplayText.width(cut)))
    }

    /// The line printed once when a software is finished, or nil while it is not.
    static func finishedLine(_ name: String, _ state: SoftwareState, previous: SoftwareState = .waiting) -> String? {
        switch state {
        case .done(let seconds): "✓ \(name): done in \(Durations.text(seconds, tenths: true))"
        case .cached: "✓ \(name): restored from cache"
        case .restoredRemotely(let bytes, let seconds):
            "✓ \(name): restored from the remote cache (\(bytes) bytes in \(Durations.text(seconds, tenths: true)))"
        case .failed:
            if case .building(_, _, _, let log) = previous { "✗ \(name): FAILED at \(label(previous)) (log: \(log))" } else { "✗ \(name): FAILED" }
        case .stopped: "· \(name): stopped"
        case .waiting, .fetching, .building, .merging: nil
        }
    }

    static func label(_ state: SoftwareState) -> String {
        switch state {
        case .waiting: "queued"
        case .fetching: "fetching"
        case .building(let step, let count, let summary, _): "step \(step)/\(count) \(summary)"
        case .merging: "merging layer"
        default: ""
        }
    }

    static func isRunning(_ state: SoftwareState) -> Bool {
        switch state {
        case .fetching, .building, .merging: true
        default: false
        }
    }

    static func isFinished(_ state: SoftwareState) -> Bool {
        !isRunning(state) && state != .waiting
    }

    /// The same step goes on (its elapsed time keeps counting) while only its index stays.
    static func sameStep(_ a: SoftwareState, _ b: SoftwareState) -> Bool {
        switch (a, b) {
        case (.building(let x, _, _, _), .building(let y, _, _, _)): x == y
        case (.fetching, .fetching), (.merging, .merging), (.waiting, .waiting): true
        default: false
        }
    }
}
