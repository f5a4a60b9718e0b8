import Foundation
import OmnibusKit

/// Runs a phase of the Kit in a task that Ctrl-C and SIGTERM cancel, and maps how it ended to
/// the documented exit statuses; the one place commands turn a `RunError` into a status.
enum RunInTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws(RunError) -> T) async throws -> T {
        switch await result(body) {
        case .success(let value): return value
        case .failure(let error): throw CommandFailure(error)
        }
    }

    /// How the phase ended, for a caller that prints something after an error.
    static func result<T: Sendable>(_ body: @escaping @Sendable () async throws(RunError) -> T) async -> Result<T, RunError> {
        let task = Task { () async throws(RunError) -> T in try await body() }
        let interrupt = InterruptHandler {
            Console.shared.line("\ninterrupted: stopping...", to: .progress)
            task.cancel()
        }
        let result = await task.result
        withExtendedLifetime(interrupt) {}
        // `Task` erases the typed error; the body throws nothing else.
        return result.mapError { ($0 as? RunError) ?? .failed(.build, "\($0)") }
    }
}

extension CommandFailure {
    init(_ error: RunError) {
        switch error {
        case .badInput: self.init(.badInput, error.description)
        case .failed: self.init(.failure, error.description)
        case .cancelled: self.init(.interrupted, error.description)
        }
    }
}
