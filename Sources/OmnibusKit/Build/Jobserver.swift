import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One GNU make jobserver for a whole build, so the compile jobs of every software together
/// never exceed `--jobs` and none is stuck at the `-j` share it had when it started.
///
/// `jobs` slots: one held here (the implicit slot, as a top-level make holds one) and `jobs - 1`
/// tokens in a FIFO. Every command a step runs first takes a slot (the implicit one if free, else
/// a token) and gives it back when it ends; a make step is that slot plus whatever tokens it and
/// its sub-makes read from the FIFO (`MAKEFLAGS=-j --jobserver-auth=3,4`, the pipe form make 4.3
/// understands). So a lone software's make gets every job, and two softwares share them as
/// their makes ask.
///
/// A make killed mid-build cannot return the tokens its children held. The server lives for one
/// build (`Scheduler.run`) and is closed with it, so such a loss ends with the build that
/// failed or was cancelled; the next build starts with a fresh FIFO holding all its tokens.
final class Jobserver: Sendable {
    /// A slot taken by one running command.
    enum Slot: Sendable {
        case implicit
        case token(UInt8)
    }

    let jobs: Int
    private let directory: String
    /// Ours: read and write, non-blocking, so a wait can be cancelled.
    private let ownDescriptor: Int32
    /// The children's ends, blocking as make expects; passed as 3 (read) and 4 (write).
    let childDescriptors: [Int32]
    private let implicitFree = Mutex(true)

    /// What make reads from `MAKEFLAGS` to join; the numbers are where `ChildProcess`'s
    /// `inheritedDescriptors` put `childDescriptors`.
    static let makeflags = "-j --jobserver-auth=3,4"

    init(jobs: Int) throws(JobserverError) {
        self.jobs = max(1, jobs)
        var template = Array((NSTemporaryDirectory() + "/omnibus-jobserver-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw .cannotCreate("mkdtemp", errno) }
        directory = String(cString: made)
        let fifo = directory + "/fifo"
        guard mkfifo(fifo, 0o600) == 0 else { throw .cannotCreate("mkfifo \(fifo)", errno) }
        // Three open descriptions of one FIFO: O_NONBLOCK is per description, so ours can poll
        // while make's stay blocking. The read-write one opens at once, and keeps the FIFO from
        // ever reporting end-of-file to a make.
        let own = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        let writer = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard own >= 0, reader >= 0, writer >= 0 else {
            let code = errno
            for fd in [own, reader, writer] where fd >= 0 { Glibc.close(fd) }
            try? FileManager.default.removeItem(atPath: directory)
            throw .cannotCreate("open \(fifo)", code)
        }
        for fd in [reader, writer] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        ownDescriptor = own
        childDescriptors = [reader, writer]
        let tokens = [UInt8](repeating: UInt8(ascii: "+"), count: self.jobs - 1)
        if !tokens.isEmpty { _ = write(own, tokens, tokens.count) }
    }

    /// Waits for a slot. Throws when the task is cancelled.
    func acquire() async throws(CancellationError) -> Slot {
        while true {
            if implicitFree.withLock({ free in defer { free = false }; return free }) { return .implicit }
            var byte: UInt8 = 0
            if read(ownDescriptor, &byte, 1) == 1 { return .token(byte) }
            // Polled rather than a blocking read: a read on a thread cannot be cancelled, and a
            // build that fails must not leave threads waiting on a FIFO that is about to close.
            do { try await Task.sleep(for: .milliseconds(15)) } catch { throw CancellationError() }
        }
    }

    func release(_ slot: Slot) {
        switch slot {
        case .implicit: implicitFree.withLock { $0 = true }
        case .token(var byte): _ = write(ownDescriptor, &byte, 1)
        }
    }

    deinit {
        for fd in [ownDescriptor] + childDescriptors { Glibc.close(fd) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum JobserverError: Error, CustomStringConvertible {
    case cannotCreate(String, Int32)

    var description: String {
        switch self {
        case .cannotCreate(let what, let code):
            "cannot set up the build's jobserver (\(what): \(String(cString: strerror(code)))); check that TMPDIR is writable, or build with --no-jobserver"
        }
    }
}
