/// What a build reports as it goes; the CLI turns these into a live display or log lines.
package enum BuildEvent: Sendable {
    case planned(project: String, software: [String], jobs: Int)
    case state(software: String, SoftwareState)
    /// A line of build output (only sent with `verbose`).
    case output(software: String, line: String)
    case note(String)
    /// The stray-write check after `software` was built: how long it took, how many install-dir
    /// directories it read again and how many it visited (for the build report, not the display).
    case strayWriteCheck(software: String, seconds: Double, directoriesListed: Int, directoriesVisited: Int)
}

package enum SoftwareState: Sendable, Equatable {
    case waiting
    case fetching
    /// `summary` has the software's `{{variables}}` expanded; `log` is the software's build log.
    case building(step: Int, of: Int, summary: String, log: String)
    case merging
    /// Restored from the layer cache instead of built.
    case cached
    /// Restored from the remote cache (bytes fetched, seconds taken).
    case restoredRemotely(bytes: Int64, seconds: Double)
    case done(seconds: Double)
    case failed
    case stopped
}

package protocol BuildReporter: Sendable {
    func report(_ event: BuildEvent)
}

