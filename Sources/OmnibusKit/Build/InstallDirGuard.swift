import Foundation

/// Makes the install dir fresh for a full build without ever deleting a directory this tool did
/// not create. The proof of ownership lives inside the install dir itself
/// (`.omnibus-install-dir.json`, naming the project; never packaged), so every work dir, cache
/// dir and `$HOME` finds it. An empty existing directory (made by an administrator so an
/// unprivileged user can build) is adopted; anything else is refused.
struct InstallDirGuard {
    let installDir: String
    let project: String
    /// Where earlier versions recorded ownership (device and inode, in the work dir); still honoured.
    let legacyRecordPath: String

    /// The marker's name, left out of packages, layers and the stray-write check.
    static let markerName = ".omnibus-install-dir.json"

    var markerPath: String { installDir + "/" + Self.markerName }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    private struct Marker: Codable {
        let project: String
    }

    private struct LegacyRecord: Codable {
        let path: String
        let device: UInt64
        let inode: UInt64
    }

    func prepareFresh() throws(Refusal) {
        let fm = FileManager.default
        var info = stat()
        if lstat(installDir, &info) == 0 {
            guard UInt32(info.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR) else {
                throw Refusal(description: "\(installDir) exists and is not a directory; move it away first")
            }
            let contents = ((try? fm.contentsOfDirectory(atPath: installDir)) ?? []).filter { $0 != Self.markerName }
            if contents.isEmpty {
                try mark()
                return
            }
            guard isOwned() else {
                throw Refusal(description: "\(installDir) exists and was not created by omnibus for this project; omnibus does not delete files it did not create. Move it away (or remove it yourself) and build again.")
            }
            // Empty it but keep the directory itself, which may have been made by an administrator.
            for name in contents {
                do { try fm.removeItem(atPath: installDir + "/" + name) } catch {
                    throw Refusal(description: "cannot clear \(installDir)/\(name): \(error.localizedDescription)")
                }
            }
            try mark()
            return
        }
        do {
            try fm.createDirectory(atPath: installDir, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o755])
        } catch {
            let parent = (installDir as NSString).deletingLastPathComponent
            throw Refusal(description: "cannot create \(installDir): \(error.localizedDescription). Either build as a user who can write to \(parent), or have an administrator run 'sudo install -d -o $(id -un) \(installDir)' once; omnibus then builds into the empty directory.")
        }
        try mark()
    }

    private func mark() throws(Refusal) {
        do {
            try JSONEncoder().encode(Marker(project: project)).write(to: URL(fileURLWithPath: markerPath))
        } catch {
            throw Refusal(description: "cannot write \(markerPath): \(error.localizedDescription)")
        }
    }

    /// Whether `installDir` is the one this tool made for this project (for rebuilds and `omnibus clean --all`).
    func isOwned() -> Bool {
        if let data = FileManager.default.contents(atPath: markerPath),
           let marker = try? JSONDecoder().decode(Marker.self, from: data) {
            return marker.project == project
        }
        var info = stat()
        guard lstat(installDir, &info) == 0, let data = FileManager.default.contents(atPath: legacyRecordPath),
              let recorded = try? JSONDecoder().decode(LegacyRecord.self, from: data) else { return false }
        return recorded.path == installDir && recorded.device == UInt64(info.st_dev) && recorded.inode == UInt64(info.st_ino)
    }
}
