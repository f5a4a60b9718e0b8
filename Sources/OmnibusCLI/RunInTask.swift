import Foundation
import OmnibusKit

/// Runs a phase of the Kit in a task that Ctrl-C and SIGTERM cancel, and maps how it ended to
/// the documented exit statuses; the one place commands turn a `RunError` into a status.
enum RunInTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws(RunError) -> T) async throws -> T {
        let task = Task { () async throws(RunError) -> T in try await body() }
        let interrupt = InterruptHandler {
            FileHandle.standardError.write(Data("\ninterrupted: stopping...\n".utf8))
            task.cancel()
        }
        let result = await task.result
        withExtendedLifetime(interrupt) {}
        switch result {
        case .success(let value): return value
        case .failure(let error): throw (error as? RunError).map(CommandFailure.init) ?? error
        }
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
