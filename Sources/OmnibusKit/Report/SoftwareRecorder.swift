import Foundation
import Synchronization

/// Passes build events on to the display and keeps, per software, how it ended and how long it
/// took, so the build report can say so even for a build that failed half-way (when there is
/// no `BuildResult`).
final class SoftwareRecorder: BuildReporter {
    struct Record: Sendable {
        var firstSeen: Date
        var outcome: SoftwareOutcome?
        var seconds: Double?
        /// The stray-write check after its build, when it ran.
        var strayWriteCheck: StrayWriteCheckCost?
    }

    struct StrayWriteCheckCost: Sendable {
        let seconds: Double
        let directoriesListed: Int
        let directoriesVisited: Int
    }

    private let forward: BuildReporter
    private let records = Mutex<[String: Record]>([:])

    init(forwardingTo forward: BuildReporter) { self.forward = forward }

    func report(_ event: BuildEvent) {
        if case .state(let software, let state) = event {
            let now = Date()
            records.withLock { records in
                var record = records[software] ?? Record(firstSeen: now)
                switch state {
                case .done(let seconds): (record.outcome, record.seconds) = (.built, seconds)
                case .cached: (record.outcome, record.seconds) = (.restoredLocal, now.timeIntervalSince(record.firstSeen))
                case .restoredRemotely(_, let seconds): (record.outcome, record.seconds) = (.restoredRemote, seconds)
                case .failed: (record.outcome, record.seconds) = (.failed, now.timeIntervalSince(record.firstSeen))
                case .stopped: (record.outcome, record.seconds) = (.stopped, now.timeIntervalSince(record.firstSeen))
                case .waiting, .fetching, .building, .merging: break
                }
                records[software] = record
            }
        }
        if case .strayWriteCheck(let software, let seconds, let listed, let visited) = event {
            let now = Date()
            records.withLock { records in
                records[software, default: Record(firstSeen: now)].strayWriteCheck =
                    StrayWriteCheckCost(seconds: seconds, directoriesListed: listed, directoriesVisited: visited)
            }
        }
        forward.report(event)
    }

    var snapshot: [String: Record] { records.withLock { $0 } }
}

/// How a software got into the install dir, as the report names it.
enum SoftwareOutcome: String, Sendable {
    case built
    case restoredLocal = "restored_local"
    case restoredRemote = "restored_remote"
    case failed
    case stopped
    /// The build stopped before this software started.
    case notStarted = "not_started"
}
