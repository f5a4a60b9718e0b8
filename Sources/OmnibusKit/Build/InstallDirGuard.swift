import Foundation

/// Makes the install dir fresh for a full build without ever deleting a directory this tool did
/// not create: it records the device and inode of each install dir it makes, and deletes only a
/// directory that matches that record. An empty existing directory (made by an administrator so
/// an unprivileged user can build) is used as it is.
struct InstallDirGuard {
    let installDir: String
    let recordPath: String

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    private struct Record: Codable {
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
            let contents = (try? fm.contentsOfDirectory(atPath: installDir)) ?? []
            if contents.isEmpty {
                try record(info)
                return
            }
            guard let data = fm.contents(atPath: recordPath),
                  let recorded = try? JSONDecoder().decode(Record.self, from: data),
                  recorded.path == installDir, recorded.device == UInt64(info.st_dev), recorded.inode == UInt64(info.st_ino)
            else {
                throw Refusal(description: "\(installDir) exists and was not created by omnibus for this project; omnibus does not delete files it did not create. Move it away (or remove it yourself) and build again.")
            }
            // Empty it but keep the directory itself, which may have been made by an administrator.
            for name in contents {
                do { try fm.removeItem(atPath: installDir + "/" + name) } catch {
                    throw Refusal(description: "cannot clear \(installDir)/\(name): \(error.localizedDescription)")
                }
            }
            return
        }
        do {
            try fm.createDirectory(atPath: installDir, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o755])
        } catch {
            let parent = (installDir as NSString).deletingLastPathComponent
            throw Refusal(description: "cannot create \(installDir): \(error.localizedDescription). Either build as a user who can write to \(parent), or have an administrator run 'sudo install -d -o $(id -un) \(installDir)' once; omnibus then builds into the empty directory.")
        }
        guard lstat(installDir, &info) == 0 else { throw Refusal(description: "cannot stat \(installDir)") }
        try record(info)
    }

    private func record(_ info: stat) throws(Refusal) {
        let record = Record(path: installDir, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        do {
            try FileManager.default.createDirectory(atPath: (recordPath as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: recordPath))
        } catch {
            throw Refusal(description: "cannot write \(recordPath): \(error.localizedDescription)")
        }
    }

    /// Whether `installDir` is the one this tool made (for `omnibus clean --all`).
    func isOwned() -> Bool {
        var info = stat()
        guard lstat(installDir, &info) == 0, let data = FileManager.default.contents(atPath: recordPath),
              let recorded = try? JSONDecoder().decode(Record.self, from: data) else { return false }
        return recorded.path == installDir && recorded.device == UInt64(info.st_dev) && recorded.inode == UInt64(info.st_ino)
    }
}
