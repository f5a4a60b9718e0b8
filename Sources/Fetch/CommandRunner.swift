import Foundation
import Spawning

/// Runs the external tools Fetch needs (git, apt-get) through the one process layer, mapping
/// its failures to `FetchError`. Cancelling the calling task stops the tool and everything it
/// started.
enum CommandRunner {
    struct Result: Sendable {
        let status: Int32
        /// Standard output and standard error, interleaved.
        let output: String
    }

    /// Runs `arguments[0]` looked up on PATH, in `directory` when given, with the caller's
    /// environment plus `extra`.
    static func run(_ arguments: [String], in directory: String? = nil,
                    environment extra: [String: String] = [:]) async throws(FetchError) -> Result {
        let command = arguments.joined(separator: " ")
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        do {
            let (status, output) = try await ChildProcess(arguments, environment: environment, directory: directory).capture()
            return Result(status: status, output: output)
        } catch {
            switch error {
            case .notFound:
                throw .io(path: arguments[0], reason: "`\(arguments[0])` is not installed or not on PATH; it is needed to run `\(command)`")
            case .cannotStart(_, let code):
                throw .io(path: arguments[0], reason: "cannot run `\(command)`: \(FileOps.errorText(code))")
            case .cancelled:
                throw .cancelled
            }
        }
    }

    /// Like `run`, but a non-zero exit status is an error carrying the command's output.
    @discardableResult
    static func check(_ arguments: [String], in directory: String? = nil,
                      environment: [String: String] = [:]) async throws(FetchError) -> String {
        let result = try await run(arguments, in: directory, environment: environment)
        guard result.status == 0 else {
            throw .commandFailed(command: arguments.joined(separator: " "), status: result.status, output: result.output)
        }
        return result.output
    }
}
