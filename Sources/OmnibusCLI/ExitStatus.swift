/// The documented exit codes; every command ends in one of these.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A build, health check or packaging step failed.
    case failure = 1
    /// Bad input: invalid definitions, unknown names, wrong usage.
    case badInput = 2
    /// Interrupted (Ctrl-C); the conventional 128 + SIGINT.
    case interrupted = 130
}

/// A command's way of ending with a message and a documented status.
public struct CommandFailure: Error, CustomStringConvertible {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
