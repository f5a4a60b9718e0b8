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
    private let file: FileLock

    static func lockPath(for installDir: String) -> String {
        let directory = FileManager.default.fileExists(atPath: "/run/lock") ? "/run/lock" : NSTemporaryDirectory()
        let digest = (try? Digests.hex(.sha256, of: Array(installDir.utf8))) ?? "unknown"
        return directory + "/omnibus-" + digest.prefix(24) + ".lock"
    }

    private init(file: FileLock) {
        self.file = file
    }

    var path: String { file.path }

    /// Takes the lock, waiting (and saying so once through `waiting`) while another run holds
    /// it, or failing at once when `wait` is false. Cancelling the task ends the wait.
    static func acquire(installDir: String, project: String, wait: Bool,
                        waiting: @Sendable (String) -> Void) async throws(RunError) -> InstallDirLock {
        let path = lockPath(for: installDir)
        guard let file = FileLock(path: path) else {
            throw .badInput("cannot open the lock file \(path) for \(installDir): \(String(cString: strerror(errno)))")
        }
        var announced = false
        while true {
            let taken: Bool
            do { taken = try file.tryLock() } catch { throw .badInput("\(error) (for \(installDir))") }
            if taken { break }
            let holder = Self.holder(path)
            guard wait else {
                throw .badInput("\(installDir) is being built by another omnibus run (\(holder)); wait for it, or run without --no-wait to wait automatically")
            }
            if !announced {
                waiting("waiting for the build of \(installDir) by \(holder) to finish (lock \(path))")
                announced = true
            }
            // flock cannot be interrupted by task cancellation; short sleeps can.
            do { try await Task.sleep(nanoseconds: 200_000_000) } catch { throw .cancelled(.build) }
        }
        file.record("pid \(getpid()), project \(project)\n")
        return InstallDirLock(file: file)
    }

    private static func holder(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "another process" : text
    }
}
