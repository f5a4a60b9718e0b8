import Digest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run at a time per install dir, across processes, users, work dirs and cache dirs: an
/// exclusive `flock` on a file named after the install dir in `/run/lock` (world-writable and
/// emptied at boot; `/tmp` where it is missing). Two builds of one install dir used to clear
/// each other's files and package truncated ones; a build of another project never waits.
///
/// The holder writes its pid and project into the file, so a second run can say whom it waits
/// for. The kernel drops the lock when the holder exits, however it exits, so a stale lock
/// cannot block anyone.
final class InstallDirLock: Sendable {
    private let descriptor: Int32
    let path: String

    static func lockPath(for installDir: String) -> String {
        let directory = FileManager.default.fileExists(atPath: "/run/lock") ? "/run/lock" : NSTemporaryDirectory()
        let digest = (try? Digests.hex(.sha256, of: Array(installDir.utf8))) ?? "unknown"
        return directory + "/omnibus-" + digest.prefix(24) + ".lock"
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the lock, waiting (and saying so once through `waiting`) while another run holds
    /// it, or failing at once when `wait` is false. Cancelling the task ends the wait.
    static func acquire(installDir: String, project: String, wait: Bool,
                        waiting: @Sendable (String) -> Void) async throws(RunError) -> InstallDirLock {
        let path = lockPath(for: installDir)
        // Read-write to record the holder; read-only still locks when another user created the file.
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw .badInput("cannot open the lock file \(path) for \(installDir): \(String(cString: strerror(errno)))")
        }
        fchmod(descriptor, 0o666)
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .badInput("cannot lock \(path) for \(installDir): \(reason)")
            }
            let holder = Self.holder(path)
            guard wait else {
                close(descriptor)
                throw .badInput("\(installDir) is being built by another omnibus run (\(holder)); wait for it, or run without --no-wait to wait automatically")
            }
            if !announced {
                waiting("waiting for the build of \(installDir) by \(holder) to finish (lock \(path))")
                announced = true
            }
            // flock cannot be interrupted by task cancellation; short sleeps can.
            do { try await Task.sleep(nanoseconds: 200_000_000) } catch {
                close(descriptor)
                throw .cancelled(.build)
            }
        }
        let record = "pid \(getpid()), project \(project)\n"
        if ftruncate(descriptor, 0) == 0 {
            _ = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        }
        return InstallDirLock(descriptor: descriptor, path: path)
    }

    private static func holder(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "another process" : text
    }
}
