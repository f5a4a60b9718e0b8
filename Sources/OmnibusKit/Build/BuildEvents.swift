/// What a build reports as it goes; the CLI turns these into a live display or log lines.
public enum BuildEvent: Sendable {
    case planned(project: String, software: [String], jobs: Int)
    case state(software: String, SoftwareState)
    /// A line of build output (only sent with `verbose`).
    case output(software: String, line: String)
    case note(String)
}

public enum SoftwareState: Sendable, Equatable {
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

public protocol BuildReporter: Sendable {
    func report(_ event: BuildEvent)
}

/// Gets the source of one software ready to build: fetched, verified and unpacked.
public protocol SourcePreparer: Sendable {
    /// What identifies the source's bytes (checksum, commit or content hash), for cache keys.
    func identity(of node: SourceRequest) throws(BuildFailure.Reason) -> String
    /// Unpacks (or copies) the source under `directory` and returns the directory to build in.
    func prepare(_ node: SourceRequest, into directory: String, log: @escaping @Sendable (String) -> Void) throws(BuildFailure.Reason) -> String
}

import Definitions

/// The part of a resolved software that fetching needs.
public struct SourceRequest: Sendable {
    public let software: String
    public let version: String
    public let source: Source
    public let relativePath: String?
    /// The definition's directory; `path` sources are relative to it.
    public let definitionDir: String

    public init(software: String, version: String, source: Source, relativePath: String?, definitionDir: String) {
        self.software = software
        self.version = version
        self.source = source
        self.relativePath = relativePath
        self.definitionDir = definitionDir
    }
}
