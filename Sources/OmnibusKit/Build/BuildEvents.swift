/// What a build reports as it goes; the CLI turns these into a live display or log lines.
package enum BuildEvent: Sendable {
    case planned(project: String, software: [String], jobs: Int)
    case state(software: String, SoftwareState)
    /// A line of build output (only sent with `verbose`).
    case output(software: String, line: String)
    case note(String)
}

package enum SoftwareState: Sendable, Equatable {
    case waiting
    case fetching
    case building(step: Int, of: Int, summary: String)
    case merging
    /// Restored from the layer cache instead of built.
    case cached
    case done(seconds: Double)
    case failed
    case stopped
}

package protocol BuildReporter: Sendable {
    func report(_ event: BuildEvent)
}

/// Gets the source of one software ready to build: fetched, verified and unpacked.
package protocol SourcePreparer: Sendable {
    /// What identifies the source's bytes (checksum, commit or content hash), for cache keys.
    func identity(of node: SourceRequest) throws(BuildFailure.Reason) -> String
    /// Unpacks (or copies) the source under `directory` and returns the directory to build in.
    func prepare(_ node: SourceRequest, into directory: String, log: @escaping @Sendable (String) -> Void) throws(BuildFailure.Reason) -> String
}

import Definitions

/// The part of a resolved software that fetching needs.
package struct SourceRequest: Sendable {
    package let software: String
    package let version: String
    package let source: Source
    package let relativePath: String?
    /// The definition's directory; `path` sources are relative to it.
    package let definitionDir: String

    package init(software: String, version: String, source: Source, relativePath: String?, definitionDir: String) {
        self.software = software
        self.version = version
        self.source = source
        self.relativePath = relativePath
        self.definitionDir = definitionDir
    }
}
