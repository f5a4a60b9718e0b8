/// What a running step may do. OmnibusKit implements it for each software build; a step kind
/// uses nothing else, so every command it runs goes through the process layer and every path it
/// writes is contained.
package protocol StepExecution: Sendable {
    /// The job count the step may use (`make -j`).
    var jobs: Int { get }
    /// The software being built (its licence texts go to `LICENSES/<software>/`).
    var software: String { get }
    var installDir: String { get }
    var embeddedDir: String { get }
    /// Expands `{{variables}}`.
    func render(_ text: String) throws(StepFailure) -> String
    /// Runs a command in the build directory with the pinned build environment.
    func run(_ arguments: [String]) async throws(StepFailure)
    /// True when the build has one jobserver: a make run through `runJoiningJobserver` gets its
    /// parallelism from it and must not be given a `-j` count of its own.
    var hasJobserver: Bool { get }
    /// `run`, with the command joining the build's jobserver (make, and the makes it starts).
    func runJoiningJobserver(_ arguments: [String]) async throws(StepFailure)
    /// Where a path a step writes really goes: inside the install dir it is redirected into the
    /// staging root; a relative path is relative to the source directory; anything that leaves
    /// the source directory, the staging root and the install dir is refused.
    func writablePath(_ text: String) throws(StepFailure) -> String
    /// A path a step reads (copy's `from`), contained the same way.
    func readablePath(_ text: String) throws(StepFailure) -> String
    /// A file kept beside the definition (a patch, a template).
    func definitionFile(_ text: String) throws(StepFailure) -> String
    /// A line in the software's build log.
    func log(_ line: String)
    /// The software's `network: true`: a language step may let its tool reach the package
    /// index; otherwise it keeps the tool offline (vendored or locked inputs only).
    var network: Bool { get }
}

/// Why a step failed, in terms the build report turns into a message with the step's location.
package enum StepFailure: Error, Sendable, CustomStringConvertible {
    case commandFailed(command: String, status: Int32)
    /// The step cannot be carried out as written (a path outside the build, a missing file).
    case invalid(String)
    case io(String)
    case cancelled

    package var description: String {
        switch self {
        case .commandFailed(let command, let status): "command exited with status \(status): \(command)"
        case .invalid(let message), .io(let message): message
        case .cancelled: "stopped"
        }
    }
}
