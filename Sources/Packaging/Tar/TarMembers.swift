import Archive
import Digest

/// Writes package contents as tar members, shared by `.deb` data and `.tar` packages.
/// Names are `prefix` + the path without its leading `/` (`./opt/demo/bin/tool` for a deb,
/// `opt/demo/bin/tool` for a tarball), directories end in `/`, owners are names with numeric
/// ids 0 (the names decide on the target: dpkg and GNU tar use a name that exists there), and
/// hard links follow the file they link to.
struct TarMembers {
    let prefix: String
    /// Also write the directories above the entries (`./`, `./opt/`) that the contents do not
    /// hold, owned by root, mode 0755; a deb needs them to unpack, a tarball does not.
    let includeParents: Bool
    let epoch: Int64

    /// Writes every member; returns the hex `digest` of each regular file (hard links included)
    /// in member order, when a digest is asked for.
    func write(_ contents: PackageContents, to writer: ArchiveWriter, chunks: FileChunks,
               digest algorithm: DigestAlgorithm? = nil) throws -> [(path: String, digest: String)] {
        var digests: [(path: String, digest: String)] = []
        var digestOfPath: [String: String] = [:]
        for member in members(of: contents) {
            guard let entry = member.entry else {
                try writer.writeHeader(parentHeader(member.path))
                continue
            }
            try writer.writeHeader(header(for: entry))
            switch entry.kind {
            case .file:
                let hasher = try algorithm.map { algorithm throws(DigestError) in try StreamingDigest(algorithm) }
                try chunks.read(entry.sourcePath, expectedSize: entry.size) { chunk in
                    hasher?.update(chunk)
                    try writer.writeData(chunk)
                }
                if let hasher {
                    let hex = Digests.hexString(hasher.finalize())
                    digestOfPath[entry.path] = hex
                    digests.append((entry.path, hex))
                }
            case .hardlink(let target):
                if algorithm != nil, let hex = digestOfPath[target] { digests.append((entry.path, hex)) }
            case .directory, .symlink:
                break
            }
        }
        return digests
    }

    struct Member {
        var path: String
        /// nil for a parent directory the contents do not hold.
        var entry: PackageEntry?
    }

    /// A parent directory the contents do not hold: root's, mode 0755, at the epoch.
    func parentHeader(_ path: String) -> ArchiveWriteEntry {
        ArchiveWriteEntry(path: name(path, directory: true), kind: .directory, permissions: 0o755,
                          modificationTime: epoch, userName: "root", groupName: "root")
    }

    /// Entries plus, when asked, their missing ancestors, in path order.
    func members(of contents: PackageContents) -> [Member] {
        var members = contents.entries.map { Member(path: $0.path, entry: $0) }
        guard includeParents else { return members }
        members += Self.missingParents(of: contents).map { Member(path: $0, entry: nil) }
        members.sort { pathPrecedes($0.path, $1.path) }
        return members
    }

    /// Directories above the entries that the contents do not hold (`/`, `/opt` for `/opt/demo`).
    static func missingParents(of contents: PackageContents) -> Set<String> {
        let present = Set(contents.entries.map(\.path))
        var parents = Set<String>()
        for entry in contents.entries {
            var path = entry.path
            while let slash = path.lastIndex(of: "/") {
                path = slash == path.startIndex ? "/" : String(path[..<slash])
                // A parent that is an entry itself gets its own ancestors from its own turn.
                if present.contains(path) { break }
                parents.insert(path)
                if path == "/" { break }
            }
        }
        return parents
    }

    private func name(_ path: String, directory: Bool) -> String {
        let relative = String(path.drop { $0 == "/" })
        if relative.isEmpty { return prefix.isEmpty ? "./" : prefix }
        return prefix + relative + (directory ? "/" : "")
    }

    func header(for entry: PackageEntry) -> ArchiveWriteEntry {
        let kind: ArchiveWriteEntry.Kind
        var size: Int64 = 0
        var isDirectory = false
        switch entry.kind {
        case .file:
            kind = .file
            size = entry.size
        case .directory:
            kind = .directory
            isDirectory = true
        case .symlink(let target):
            kind = .symlink(target: target)
        case .hardlink(let target):
            kind = .hardlink(target: name(target, directory: false))
        }
        return ArchiveWriteEntry(
            path: name(entry.path, directory: isDirectory), kind: kind, permissions: entry.permissions,
            size: size, modificationTime: entry.modificationTime,
            userName: entry.user, groupName: entry.group)
    }
}
