import Foundation

/// Removal of scratch trees and cache entries whatever modes they hold: a layer may carry a
/// read-only directory (0555), which cannot be emptied until it is writable again, so a plain
/// `removeItem` would fail half way and leave the rest behind.
package enum ScratchFiles {
    /// Removes `path` and everything below it; true when nothing is left.
    @discardableResult
    package static func remove(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return true }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                remove(path + "/" + name)
            }
            return rmdir(path) == 0
        }
        return unlink(path) == 0
    }
}
