import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open lock file and the `flock` on it. The kernel drops the lock when the descriptor
/// closes, so it never outlives its process, however that process ends.
final class FileLock: Sendable {
    let path: String
    private let descriptor: Int32

    /// Opens (creating) `path`; read-only when another user made it, which still locks.
    init?(path: String) {
        self.path = path
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        // Readable and writable by every user who builds into the same place.
        fchmod(descriptor, 0o666)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Waits for the lock.
    func lock(exclusive: Bool) {
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 && errno == EINTR {}
    }

    /// Takes the exclusive lock if nobody holds it; false when someone does.
    func tryLock() throws(LockError) -> Bool {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw LockError(path: path, reason: String(cString: strerror(errno))) }
        }
        return true
    }

    /// Replaces the file's text (who holds the lock), when it was opened writable.
    func record(_ text: String) {
        guard ftruncate(descriptor, 0) == 0 else { return }
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    struct LockError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot lock \(path): \(reason)" }
    }
}
