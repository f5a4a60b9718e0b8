import Foundation
import OmnibusKit
import Synchronization

/// Timestamped lines for logs and CI, one per state change.
final class PlainReporter: BuildReporter, Sendable {
    /// Keeps lines from concurrent builds whole on standard output.
    private let output = Mutex(())
    private let start = Date()

    func report(_ event: BuildEvent) {
        let text: String
        switch event {
        case .planned(let project, let software, let jobs):
            text = "building \(project): \(software.joined(separator: ", ")) (jobs: \(jobs))"
        case .state(let software, let state):
            text = "\(software): \(Self.describe(state))"
        case .output(let software, let line):
            text = "\(software) | \(line)"
        case .note(let message):
            text = message
        }
        let now = Date()
        let line = "[\(Self.utcTime(now)) +\(String(format: "%6.1f", now.timeIntervalSince(start)))s] \(text)\n"
        output.withLock { _ in FileHandle.standardOutput.write(Data(line.utf8)) }
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

    static func describe(_ state: SoftwareState) -> String {
        switch state {
        case .waiting: "waiting"
        case .fetching: "fetching"
        case .building(let step, let count, let summary): "step \(step)/\(count) \(summary)"
        case .merging: "merging layer"
        case .cached: "restored from cache"
        case .restoredRemotely(let bytes, let seconds): "restored from the remote cache (\(bytes) bytes in \(String(format: "%.1f", seconds))s)"
        case .done(let seconds): "done in \(String(format: "%.1f", seconds))s"
        case .failed: "FAILED"
        case .stopped: "stopped"
        }
    }
}
