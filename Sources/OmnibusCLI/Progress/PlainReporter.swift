import Foundation
import OmnibusKit

/// Timestamped lines for logs and CI, one per state change.
final class PlainReporter: BuildReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }()

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
        let line = "[\(formatter.string(from: now)) +\(String(format: "%6.1f", now.timeIntervalSince(start)))s] \(text)\n"
        lock.lock()
        FileHandle.standardOutput.write(Data(line.utf8))
        lock.unlock()
    }

    static func describe(_ state: SoftwareState) -> String {
        switch state {
        case .waiting: "waiting"
        case .fetching: "fetching"
        case .building(let step, let count, let summary): "step \(step)/\(count) \(summary)"
        case .merging: "merging layer"
        case .cached: "restored from cache"
        case .done(let seconds): "done in \(String(format: "%.1f", seconds))s"
        case .failed: "FAILED"
        case .stopped: "stopped"
        }
    }
}
