import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one way omnibus runs another program: build steps, git, apt-get, compiler probes.
///
/// The child starts through `ChildSpawn` (own process group, default signals, no inherited
/// descriptors but those named in `inheritedDescriptors`). Waiting for it and draining its output happen on a thread of their own, never
/// on a thread of Swift's cooperative pool, and the caller is resumed through a continuation.
/// Cancelling the calling task stops the child's whole process group: SIGTERM, then SIGKILL
/// after `grace` seconds for whatever is still alive.
package struct ChildProcess: Sendable {
    package var arguments: [String]
    package var environment: [String: String]
    /// The working directory; nil keeps the caller's.
    package var directory: String?
    /// Seconds between SIGTERM and SIGKILL when the task is cancelled.
    package var grace: Double = 5
    /// Descriptors the child keeps open, as 3, 4, ... in this order (see `ChildSpawn.inherit`):
    /// the only way a descriptor of ours reaches a child, for a make jobserver's pipe. They stay
    /// open here; the caller owns them.
    package var inheritedDescriptors: [Int32] = []

    package init(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                 directory: String? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    package enum Failure: Error, Sendable, CustomStringConvertible, Equatable {
        /// The program is not on PATH (or the path does not exist).
        case notFound(String)
        case cannotStart(String, errno: Int32)
        /// The task was cancelled before or while the child ran; the child has been stopped.
        case cancelled

        package var description: String {
            switch self {
            case .notFound(let command): "`\(command)` is not installed or not on PATH"
            case .cannotStart(let command, let code): "cannot start '\(command)': \(String(cString: strerror(code)))"
            case .cancelled: "cancelled"
            }
        }
    }

    /// Runs to completion; `output` receives standard output and error, merged and in order,
    /// from the reader thread. Returns the exit status (128 + signal when killed by one).
    /// Throws `.cancelled` when the task was cancelled, after the child is gone.
    package func run(output: @escaping @Sendable (Data) -> Void) async throws(Failure) -> Int32 {
        let control = Control()
        let result: Result<Int32, Failure> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int32, Failure>, Never>) in
                let started: pid_t
                let readFD: Int32
                do throws(Failure) { (started, readFD) = try spawn(control) } catch {
                    continuation.resume(returning: .failure(error))
                    return
                }
                // Blocking waits belong to a thread of their own, not to the concurrency pool.
                Thread.detachNewThread {
                    let drained = Self.drain(readFD, output: output)
                    let status = Self.waitForExit(started)
                    control.reaped(started)
                    // A daemon left running by a step may hold the pipe open: do not wait forever.
                    _ = drained.wait(timeout: .now() + 30)
                    continuation.resume(returning: .success(status))
                }
            }
        } onCancel: {
            control.cancel(grace: grace)
        }
        let status = try result.get()
        if control.wasCancelled { throw .cancelled }
        return status
    }

    /// Runs to completion and returns the exit status with everything the child printed.
    package func capture() async throws(Failure) -> (status: Int32, output: String) {
        let buffer = OutputBuffer()
        let status = try await run { buffer.append($0) }
        return (status, buffer.text)
    }

    /// Spawns under the control's lock, so a concurrent cancel either sees the child or keeps it
    /// from starting.
    private func spawn(_ control: Control) throws(Failure) -> (pid_t, Int32) {
        let name = arguments.first ?? ""
        var pipeFDs: [Int32] = [0, 0]
        // Both ends close-on-exec: builds spawn concurrently, and a write end inherited by
        // another build's child would keep this pipe open until that child exits.
        guard Self.closeOnExecPipe(&pipeFDs) == 0 else { throw .cannotStart(name, errno: errno) }
        let (readFD, writeFD) = (pipeFDs[0], pipeFDs[1])
        let child = ChildSpawn(resetting: [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP])
        child.output(toDescriptor: writeFD)
        child.inherit(inheritedDescriptors)
        if let directory, !child.changeDirectory(to: directory) {
            close(readFD)
            close(writeFD)
            throw .cannotStart(name, errno: ENOSYS)
        }
        let executable = name.contains("/") ? name : Self.which(name, in: environment["PATH"])
        let pid: pid_t = control.starting {
            guard let executable else { return -ENOENT }
            return child.spawn(executable, arguments: arguments, environment: environment)
        }
        close(writeFD)
        guard pid > 0 else {
            close(readFD)
            if pid == 0 { throw .cancelled }
            if -pid == ENOENT { throw .notFound(name) }
            throw .cannotStart(name, errno: -pid)
        }
        return (pid, readFD)
    }

    private static func drain(_ readFD: Int32, output: @escaping @Sendable (Data) -> Void) -> DispatchSemaphore {
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readFD, &buffer, buffer.count)
                if count > 0 {
                    output(Data(buffer[0..<count]))
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(readFD)
            drained.signal()
        }
        return drained
    }

    /// The exit status, or 128 + the signal number when the process was killed, as shells report it.
    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// `pipe2(fds, O_CLOEXEC)`, which Swift's Glibc module does not import; looked up at run time.
    private static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return -1 }
        return fds.withUnsafeMutableBufferPointer { unsafeBitCast(symbol, to: Pipe2.self)($0.baseAddress!, O_CLOEXEC) }
    }

    /// The first executable `command` on `path` (the child's PATH, not ours).
    package static func which(_ command: String, in path: String?) -> String? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A command line as a shell would need it typed, for logs and failure reports.
    package static func shellQuoted(_ arguments: [String]) -> String {
        arguments.map { argument in
            let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
            return safe && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// What the cancellation handler and the waiting thread share about one child. The pid is
/// signalled only while it is known to be unreaped, so a recycled pid is never hit.
private final class Control: Sendable {
    private struct State {
        var pid: pid_t = 0
        var running = false
        var cancelled = false
    }

    private let state = Mutex(State())

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    func starting(_ spawn: () -> pid_t) -> pid_t {
        state.withLock { state in
            guard !state.cancelled else { return 0 }
            let pid = spawn()
            if pid > 0 {
                state.pid = pid
                state.running = true
            }
            return pid
        }
    }

    /// After a cancel, what is left of the group once its leader is gone is a stray (a build's
    /// background job): it is killed at once rather than left to outlive omnibus.
    func reaped(_ pid: pid_t) {
        let cancelled = state.withLock { state in
            state.running = false
            return state.cancelled
        }
        if cancelled { kill(-pid, SIGKILL) }
    }

    func cancel(grace: Double) {
        let pid: pid_t? = state.withLock { state in
            state.cancelled = true
            return state.running ? state.pid : nil
        }
        guard let pid else { return }
        kill(-pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            if state.withLock({ $0.running }) { kill(-pid, SIGKILL) }
        }
    }
}

private final class OutputBuffer: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }

    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
