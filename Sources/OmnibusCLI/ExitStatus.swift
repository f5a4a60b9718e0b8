/// The documented exit codes; every command ends in one of these.
package enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A build, health check or packaging step failed.
    case failure = 1
    /// Bad input: invalid definitions, unknown names, wrong usage.
    case badInput = 2
    /// Interrupted (Ctrl-C); the conventional 128 + SIGINT.
    case interrupted = 130
}

/// A command's way of ending with a message and a documented status.
package struct CommandFailure: Error, CustomStringConvertible {
    package let status: ExitStatus
    package let message: String

    package init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { message }
}
