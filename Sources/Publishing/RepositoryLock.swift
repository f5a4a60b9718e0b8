import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the repository's directory itself, held for one publish: two runs
/// reading and rewriting the same indexes would each drop the other's package. Locking the
/// directory leaves no lock file behind to be synced to the static host; the kernel drops the
/// lock when the descriptor closes, however the process ends.
final class RepositoryLock {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Creates the directory if needed and takes the lock, or says who to wait for.
    static func acquire(directory: String) async throws(PublishError) -> RepositoryLock {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .write(path: directory, reason: error.localizedDescription)
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .write(path: directory, reason: String(cString: strerror(errno))) }
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(grace)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK && clock.now < giveUp {
                // A child that another thread of the process holding the lock is starting
                // keeps a copy of its descriptor until it execs (O_CLOEXEC acts only then), so
                // a publish that has just finished may still look busy for some milliseconds;
                // another publish holds it far longer than this.
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw busy ? .busy(path: directory) : .write(path: directory, reason: "cannot lock it: \(reason)")
        }
        return RepositoryLock(descriptor: descriptor)
    }

    /// How long a lock held by someone else may take to go before the publish is refused.
    static let grace: Int64 = 2

    deinit { close(descriptor) }
}
