import Foundation
import Spawning
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external tool (git, apt-get) to completion without blocking a thread of the
/// concurrency pool, and kills it (with everything it started) if the calling task is cancelled.
///
/// It uses posix_spawn rather than Foundation's Process because a child inherits the signal mask
/// of the thread that starts it, and the threads Swift concurrency runs on block most signals:
/// a git started through Process ignores SIGTERM and SIGINT. Here the child gets an empty mask,
/// default handlers, and its own process group.
enum CommandRunner {
    struct Result: Sendable {
        let status: Int32
        /// Standard output and standard error, interleaved.
        let output: String
    }

    /// Runs `arguments[0]` looked up on PATH. Output goes to a temporary file rather than a pipe
    /// so that a chatty tool can never fill a pipe buffer and stall.
    static func run(_ arguments: [String], in directory: String? = nil,
                    environment extra: [String: String] = [:]) async throws(FetchError) -> Result {
        let command = arguments.joined(separator: " ")
        let logPath = NSTemporaryDirectory() + "omnibus-cmd-\(UUID().uuidString).log"
        defer { FileOps.remove(logPath) }
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let missing = "`\(arguments[0])` is not installed or not on PATH; it is needed to run `\(command)`"
        // posix_spawn has no portable "change directory" action; a shell does it before exec.
        let argv = directory.map { ["sh", "-c", "cd -- \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
        let pid: pid_t
        do { pid = try spawn(argv, environment: environment, logPath: logPath) } catch {
            if error.code == ENOENT { throw .io(path: arguments[0], reason: missing) }
            throw .io(path: arguments[0], reason: "cannot run `\(command)`: \(FileOps.errorText(error.code))")
        }
        let group = ProcessGroup(pid: pid)
        let status = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
                // waitpid blocks, so it gets a thread of its own instead of one from the pool.
                Thread.detachNewThread { continuation.resume(returning: waitForExit(pid)) }
            }
        } onCancel: {
            group.killAll()
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        if status == 127 && directory != nil && output.contains("not found") {
            throw .io(path: arguments[0], reason: missing)
        }
        return Result(status: status, output: output)
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

    struct SpawnError: Error { let code: Int32 }

    private static func spawn(_ arguments: [String], environment: [String: String],
                              logPath: String) throws(SpawnError) -> pid_t {
        let child = ChildSpawn(resetting: [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP])
        child.output(toFile: logPath)
        let pid = child.spawn(arguments[0], arguments: arguments, environment: environment, searchPath: true)
        guard pid > 0 else { throw SpawnError(code: -pid) }
        return pid
    }

    /// The exit status, or 128 + the signal number when the process was killed, as shells report it.
    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Lets the cancellation handler, which may run on any thread, stop the process and its children.
private struct ProcessGroup: Sendable {
    let pid: pid_t

    func killAll() { _ = kill(-pid, SIGKILL) }
}
