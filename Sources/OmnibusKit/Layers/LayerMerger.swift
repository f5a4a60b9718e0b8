import Foundation

/// Copies a layer tree into the install dir. Two software may install the same path only with
/// identical content: anything else is a conflict, because which one "wins" would otherwise
/// depend on which build happened to finish first.
struct LayerMerger {
    let installDir: String

    struct Conflict: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameters:
    ///   - tree: a directory laid out like the install dir.
    ///   - owners: install-dir-relative path -> software, updated with this layer's files.
    func merge(tree: String, entries: [Layer.Entry], software: String, owners: inout [String: String]) throws(Conflict) {
        var linkedInodes: [UInt64: String] = [:]
        for entry in entries {
            let source = tree + "/" + entry.path
            let destination = installDir + "/" + entry.path
            var existing = stat()
            let exists = lstat(destination, &existing) == 0
            switch entry.kind {
            case .directory:
                if exists {
                    guard UInt32(existing.st_mode) & UInt32(S_IFMT) == UInt32(S_IFDIR) else {
                        throw conflict(entry, owners, software, "a directory where another file is")
                    }
                } else if mkdir(destination, mode_t(entry.mode | 0o700)) != 0 {
                    throw Conflict(description: "cannot create \(destination): \(String(cString: strerror(errno)))")
                } else {
                    chmod(destination, mode_t(entry.mode))
                }
                continue
            case .symlink:
                if exists {
                    let current = try? FileManager.default.destinationOfSymbolicLink(atPath: destination)
                    guard current == entry.target else { throw conflict(entry, owners, software, "a different symlink") }
                } else if symlink(entry.target ?? "", destination) != 0 {
                    throw Conflict(description: "cannot create symlink \(destination): \(String(cString: strerror(errno)))")
                }
            case .file:
                if exists {
                    guard FileManager.default.contentsEqual(atPath: source, andPath: destination) else {
                        throw conflict(entry, owners, software, "different content")
                    }
                } else {
                    try copyFile(source, to: destination, mode: entry.mode, linkedInodes: &linkedInodes)
                }
            }
            if owners[entry.path] == nil { owners[entry.path] = software }
        }
    }

    /// Keeps hard links inside one layer as hard links, so the package does not grow.
    private func copyFile(_ source: String, to destination: String, mode: UInt32,
                          linkedInodes: inout [UInt64: String]) throws(Conflict) {
        var info = stat()
        if lstat(source, &info) == 0, info.st_nlink > 1, let first = linkedInodes[UInt64(info.st_ino)],
           link(first, destination) == 0 {
            return
        }
        do { try SparseFileCopy.copy(source, to: destination, mode: mode_t(mode)) } catch {
            throw Conflict(description: "cannot copy \(source) to \(destination): \(error)")
        }
        chmod(destination, mode_t(mode))
        if info.st_nlink > 1 { linkedInodes[UInt64(info.st_ino)] = destination }
    }

    private func conflict(_ entry: Layer.Entry, _ owners: [String: String], _ software: String, _ what: String) -> Conflict {
        let owner = owners[entry.path].map { "'\($0)'" } ?? "an earlier layer"
        return Conflict(description: "\(software) installs \(installDir)/\(entry.path) with \(what) than \(owner) already installed there; remove it from one of them (a 'delete' step)")
    }
}
