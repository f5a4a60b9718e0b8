import Foundation

/// A software's DESTDIR after its steps ran: checked, tidied, and turned into a layer tree.
struct StagingRoot {
    let root: String
    let installDir: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The part of the staging root that mirrors the install dir.
    var tree: String { root + installDir }

    /// Refuses files staged outside the install dir (a package must not scatter files over the
    /// host), and repoints absolute symlinks that name the staging root, which `make install`
    /// with DESTDIR sometimes writes (bzip2's does).
    func prepare() throws(Failure) {
        var outside: [String] = []
        collectOutside(relative: "", into: &outside)
        if !outside.isEmpty {
            let shown = outside.prefix(10).map { "  " + $0 }.joined(separator: "\n")
            let more = outside.count > 10 ? "\n  ... and \(outside.count - 10) more" : ""
            throw Failure(description: "installed files outside the install dir \(installDir):\n\(shown)\(more)\nconfigure the software with --prefix={{embedded}} or remove them with a 'delete' step; what the package must install elsewhere (a systemd unit, a file under /etc, a link in /usr/bin) is declared under 'files:' in the project, from a file in the repository")
        }
        guard FileManager.default.fileExists(atPath: tree) else { return }
        let entries: [Layer.Entry]
        do { entries = try TreeScanner.scan(tree, hashing: false) } catch { throw Failure(description: error.description) }
        for entry in entries where entry.kind == .symlink {
            guard let target = entry.target, target.hasPrefix(root + "/") else { continue }
            let fixed = String(target.dropFirst(root.count))
            let path = tree + "/" + entry.path
            guard unlink(path) == 0, symlink(fixed, path) == 0 else {
                throw Failure(description: "cannot repoint symlink \(path) to \(fixed)")
            }
        }
    }

    private func collectOutside(relative: String, into outside: inout [String]) {
        let dir = root + relative
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for name in names {
            let path = relative + "/" + name
            if path == installDir { continue }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root + path, isDirectory: &isDirectory)
            if exists, isDirectory.boolValue, installDir.hasPrefix(path + "/") {
                collectOutside(relative: path, into: &outside)
            } else {
                outside.append(path)
            }
        }
    }
}
