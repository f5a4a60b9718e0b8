import Foundation
import OmnibusKit
import Synchronization

/// Timestamped lines on standard error for logs and CI, one per state change, and a heartbeat
/// for a step that runs long: a CI log silent for minutes looks hung.
final class PlainReporter: BuildReporter, Sendable {
    private struct Running {
        var state: SoftwareState
        /// When the step (or fetch, or merge) began, and when it was last said to go on.
        var since: Date
        var lastHeard: Date
    }

    private struct State {
        var running: [String: Running] = [:]
        var order: [String] = []
        var timer: DispatchSourceTimer?
    }

    private let state = Mutex(State())
    private let start = Date()
    private let color: Bool
    /// A step quiet this long gets a line, and another each period after.
    let heartbeat: Double

    /// `OMNIBUS_HEARTBEAT_SECONDS` shortens the period for tests; people have no reason to set it.
    static func heartbeatPeriod(environment: [String: String]) -> Double {
        guard let text = environment["OMNIBUS_HEARTBEAT_SECONDS"], let value = Double(text), value > 0 else { return 30 }
        return value
    }

    init(color: Bool, heartbeat: Double) {
        self.color = color
        self.heartbeat = heartbeat
        state.withLock { state in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            let tick = min(1, heartbeat / 4)
            timer.schedule(deadline: .now() + tick, repeating: tick)
            timer.setEventHandler { [weak self] in self?.beat() }
            timer.resume()
            state.timer = timer
        }
    }

    deinit { finish() }

    /// Stops the heartbeat; later events still print.
    func finish() {
        state.withLock { state in
            state.timer?.cancel()
            state.timer = nil
        }
    }

    func report(_ event: BuildEvent) {
        let text: String
        switch event {
        case .planned(let project, let software, let jobs):
            text = "building \(project): \(software.joined(separator: ", ")) (jobs: \(jobs))"
        case .state(let software, let newState):
            let now = Date()
            state.withLock { state in
                if LiveBoard.isRunning(newState) {
                    let previous = state.running[software]
                    let since = previous.map { LiveBoard.sameStep($0.state, newState) } == true ? previous!.since : now
                    state.running[software] = Running(state: newState, since: since, lastHeard: now)
                    if !state.order.contains(software) { state.order.append(software) }
                } else {
                    state.running[software] = nil
                }
            }
            text = "\(software): \(Self.describe(newState, color: color))"
        case .output(let software, let line):
            text = "\(software) | \(line)"
        case .note(let message):
            text = message
        case .strayWriteCheck:
            // A measurement for the build report; the display has nothing to say about it.
            return
        }
        write(text)
    }

    private func beat() {
        let now = Date()
        let due: [String] = state.withLock { state in
            state.order.compactMap { name in
                guard var entry = state.running[name], now.timeIntervalSince(entry.lastHeard) >= heartbeat else { return nil }
                entry.lastHeard = now
                state.running[name] = entry
                var details = Durations.text(now.timeIntervalSince(entry.since))
                if case .building(_, _, _, let log) = entry.state { details += ", log: \(log)" }
                return "\(name): \(LiveBoard.label(entry.state)) (\(details))"
            }
        }
        due.forEach(write)
    }

    private func write(_ text: String) {
        let now = Date()
        Console.shared.line("[\(Self.utcTime(now)) +\(String(format: "%6.1f", now.timeIntervalSince(start)))s] \(text)", to: .progress)
    }

    /// `HH:mm:ss.SSS` in UTC, by hand because `DateFormatter` is not `Sendable`. Milliseconds
    /// are rounded to nearest, as `DateFormatter` does, and the modulo is floored so instants
    /// before 1970 still give a time of day.
    private static func utcTime(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = floored(millis, by: 1000)
        let secondOfDay = floored(seconds, by: 86_400).remainder
        return String(format: "%02lld:%02lld:%02lld.%03lld",
                      secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, fraction)
    }

    private static func floored(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    static func describe(_ state: SoftwareState, color: Bool = false) -> String {
        if LiveBoard.isFinished(state), let line = LiveBoard.finishedLine("", state) {
            // The finished line without its marker and name: "built in 1.2s", "FAILED".
            let text = String(line.drop { $0 != ":" }.dropFirst(2))
            guard color else { return text }
            return state == .failed ? "\u{1B}[31m\(text)\u{1B}[0m" : "\u{1B}[32m\(text)\u{1B}[0m"
        }
        return LiveBoard.label(state)
    }
}
