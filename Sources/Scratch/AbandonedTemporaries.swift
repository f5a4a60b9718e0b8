import Foundation

/// Removes the temporaries that processes which no longer exist left in a directory.
package enum AbandonedTemporaries {
    /// How long a temporary written on another machine or in another pid namespace must have
    /// been untouched before it counts as abandoned. Whether its process runs cannot be asked, and
    /// every container run is a new namespace, so without this such leftovers would stay forever;
    /// nothing omnibus writes sits untouched for that long while in use.
    package static let foreignAge: TimeInterval = 24 * 60 * 60

    /// Removes every entry of `directory` named by `OwnedName` with `prefix` whose process is
    /// gone; returns the names removed. Housekeeping only: a directory that cannot be read, or an
    /// entry that cannot be removed, is left as it is and never stops the caller.
    @discardableResult
    package static func sweep(_ directory: String, prefix: String = "", now: Date = Date()) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            switch OwnedName.writer(of: name, prefix: prefix) {
            case .process(let pid) where !isRunning(pid): break
            case .elsewhere where untouched(path, since: now.addingTimeInterval(-foreignAge)): break
            default: continue
            }
            if ScratchFiles.remove(path) { removed.append(name) }
        }
        return removed
    }

    /// EPERM means the process exists but belongs to another user: still running.
    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func untouched(_ path: String, since limit: Date) -> Bool {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            return false
        }
        return modified < limit
    }
}
