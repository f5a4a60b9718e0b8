import Foundation
import Spawning
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command in its own process group with output sent to a sink, so a whole build tree
/// (make and everything it forks) can be stopped at once on failure or Ctrl-C.
package struct Subprocess {
    package let arguments: [String]
    package let environment: [String: String]
    package let directory: String

    package init(arguments: [String], environment: [String: String], directory: String) {
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    package enum Failure: Error, CustomStringConvertible {
        case spawn(command: String, errno: Int32)

        package var description: String {
            switch self {
            case .spawn(let command, let code): "cannot start '\(command)': \(String(cString: strerror(code)))"
            }
        }
    }

    /// Starts the process; `output` receives stdout and stderr (merged, in order) from a reader
    /// thread. Returns the exit status (128 + signal when killed by a signal).
    package func run(registry: ProcessRegistry, output: @escaping @Sendable (Data) -> Void) throws(Failure) -> Int32 {
        var pipeFDs: [Int32] = [0, 0]
        // Both ends close-on-exec from the start: builds spawn concurrently, and a write end
        // inherited by another build's child would keep this pipe open (and this step waiting)
        // until that child exits. The child gets its stdout/stderr through dup2, which clears the flag.
        guard Self.closeOnExecPipe(&pipeFDs) == 0 else { throw .spawn(command: arguments[0], errno: errno) }
        let (readFD, writeFD) = (pipeFDs[0], pipeFDs[1])

        let child = ChildSpawn(resetting: [SIGINT, SIGTERM, SIGPIPE, SIGQUIT])
        child.output(toDescriptor: writeFD)
        guard child.changeDirectory(to: directory) else {
            close(readFD)
            close(writeFD)
            throw .spawn(command: arguments[0], errno: ENOSYS)
        }
        // Registration and spawn happen under the registry's lock, so a concurrent cancel either
        // sees this process or stops it from starting.
        let status: Int32 = registry.spawning {
            let path = arguments[0].contains("/") ? arguments[0] : (Self.which(arguments[0], in: environment["PATH"]) ?? arguments[0])
            return child.spawn(path, arguments: arguments, environment: environment)
        }
        close(writeFD)
        guard status > 0 else {
            close(readFD)
            throw .spawn(command: arguments[0], errno: status == 0 ? ECANCELED : -status)
        }
        let pid = status
        defer { registry.finished(pid) }

        // The reader drains the pipe until every writer (including grandchildren) has closed it.
        let drained = DispatchSemaphore(value: 0)
        Thread {
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
        }.start()

        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 && errno == EINTR {}
        // A daemon left running by a build step may hold the pipe open; do not wait for it forever.
        _ = drained.wait(timeout: .now() + 30)
        if waitStatus & 0x7f == 0 { return (waitStatus >> 8) & 0xff }
        return 128 + (waitStatus & 0x7f)
    }

    /// `pipe2(fds, O_CLOEXEC)`, which Swift's Glibc module does not import; looked up at run time.
    private static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return -1 }
        return fds.withUnsafeMutableBufferPointer { unsafeBitCast(symbol, to: Pipe2.self)($0.baseAddress!, O_CLOEXEC) }
    }

    static func which(_ command: String, in path: String?) -> String? {
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

/// Every running child process group, so they can all be stopped together.
package final class ProcessRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var groups: Set<pid_t> = []
    private var cancelled = false

    package init() {}

    package var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Runs `spawn` unless cancelled; a positive result is recorded as a running group.
    func spawning(_ spawn: () -> pid_t) -> pid_t {
        lock.lock()
        defer { lock.unlock() }
        guard !cancelled else { return 0 }
        let pid = spawn()
        if pid > 0 { groups.insert(pid) }
        return pid
    }

    func finished(_ pid: pid_t) {
        lock.lock()
        groups.remove(pid)
        lock.unlock()
    }

    /// Stops every group: SIGTERM, then SIGKILL for those still alive after `grace` seconds.
    package func cancelAll(grace: Double = 5) {
        lock.lock()
        cancelled = true
        let running = groups
        lock.unlock()
        for group in running { kill(-group, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            lock.lock()
            let left = groups
            lock.unlock()
            if left.isEmpty { return }
            usleep(50_000)
        }
        lock.lock()
        let stubborn = groups
        lock.unlock()
        for group in stubborn { kill(-group, SIGKILL) }
    }
}
