import Archive
import Foundation

/// Unpacks an archive so that nothing can land outside the extraction directory.
///
/// Refused, with the archive and the entry named: absolute paths; any `..` component; entries
/// written through a symlink; symlinks whose target is absolute or leaves the directory (checked
/// on the target text when the entry is met, then again after extraction by resolving every
/// symlink on disk, which catches chains of individually harmless links); hardlinks whose target
/// is absolute, has `..`, or goes through a symlink; devices, fifos and sockets.
/// On any failure the extraction directory is removed, so nothing half-unpacked is left.
enum SafeExtractor {
    /// Extracts `archive` into `root`, which must not exist yet.
    static func extract(archive: String, into root: String) throws(FetchError) {
        guard !FileOps.exists(root) else {
            throw .io(path: root, reason: "already exists; archives are only extracted into a new directory")
        }
        try FileOps.createDirectory(root)
        do throws(FetchError) {
            // libarchive refuses to write through any symlink on the way, including one in the
            // user's own cache path, so the root it sees must be free of symlinks.
            let realRoot = try FileOps.resolvedPath(root)
            var policy = EntryPolicy(archive: archive, root: realRoot)
            do {
                let extractor = try ArchiveExtractor(path: archive)
                try extractor.extract { info in try policy.placement(for: info) }
            } catch let error as FetchError {
                throw error
            } catch let error as ArchiveError {
                throw FetchError.extraction(archive: archive, reason: error.message)
            } catch {
                throw FetchError.extraction(archive: archive, reason: "\(error)")
            }
            try verifySymlinks(under: realRoot, relative: [], archive: archive)
        } catch {
            FileOps.remove(root)
            throw error
        }
    }

    /// Every symlink now on disk must resolve inside `root`, following other symlinks the way
    /// the kernel does.
    private static func verifySymlinks(under root: String, relative: [String], archive: String) throws(FetchError) {
        let directory = ([root] + relative).joined(separator: "/")
        for name in try FileOps.sortedNames(in: directory) {
            let parts = relative + [name]
            var info = stat()
            guard lstat("\(directory)/\(name)", &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try verifySymlinks(under: root, relative: parts, archive: archive)
            case S_IFLNK:
                let target = try DirectoryTree.readLink("\(directory)/\(name)", root: root)
                if PathContainment.resolvesOutside(root: root, directory: relative, target: target) {
                    throw .unsafeArchive(archive: archive, entry: parts.joined(separator: "/"),
                                         reason: "is a symlink to '\(target)', which resolves outside the "
                                             + "extraction directory through other symlinks")
                }
            default:
                continue
            }
        }
    }
}

/// The per-entry decision, with the memory of which paths are symlinks so far.
private struct EntryPolicy {
    let archive: String
    let root: String
    var symlinks: Set<String> = []

    init(archive: String, root: String) {
        self.archive = archive
        self.root = root
    }

    mutating func placement(for info: ArchiveEntryInfo) throws(FetchError) -> ExtractionPlacement? {
        let parts = try components(of: info.path, entry: info.path, what: "path")
        guard !parts.isEmpty else { return nil }  // "./": the extraction directory itself
        let relative = parts.joined(separator: "/")
        try refuseSymlinkPrefix(parts, entry: info.path, what: "would be written through the symlink")
        var hardlinkTarget: String?
        switch info.kind {
        case .other:
            throw unsafe(info.path, "is a device, fifo or socket, which a source archive has no reason to contain")
        case .symlink(let target):
            if target.isEmpty { throw unsafe(info.path, "is a symlink with an empty target") }
            if target.hasPrefix("/") {
                throw unsafe(info.path, "is a symlink to the absolute path '\(target)', outside the extraction directory")
            }
            if !PathContainment.staysInside(directory: Array(parts.dropLast()), target: target) {
                throw unsafe(info.path, "is a symlink to '\(target)', which points outside the extraction directory")
            }
            symlinks.insert(relative)
        case .hardlink(let target):
            let targetParts = try components(of: target, entry: info.path, what: "hardlink target")
            guard !targetParts.isEmpty else { throw unsafe(info.path, "is a hardlink to the extraction directory itself") }
            try refuseSymlinkPrefix(targetParts, entry: info.path, what: "is a hardlink through the symlink")
            hardlinkTarget = root + "/" + targetParts.joined(separator: "/")
            symlinks.remove(relative)
        case .file, .directory:
            symlinks.remove(relative)
        }
        return ExtractionPlacement(path: root + "/" + relative, hardlinkTarget: hardlinkTarget)
    }

    private func components(of path: String, entry: String, what: String) throws(FetchError) -> [String] {
        if path.hasPrefix("/") {
            throw unsafe(entry, what == "path" ? "has an absolute path"
                : "is a hardlink to the absolute path '\(path)', outside the extraction directory")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.contains("..") {
            throw unsafe(entry, what == "path" ? "has a '..' path component"
                : "is a hardlink to '\(path)', which has a '..' component and may point outside the extraction directory")
        }
        return parts.filter { $0 != "." }
    }

    private func refuseSymlinkPrefix(_ parts: [String], entry: String, what: String) throws(FetchError) {
        for count in stride(from: 1, to: parts.count, by: 1) {
            let prefix = parts.prefix(count).joined(separator: "/")
            if symlinks.contains(prefix) { throw unsafe(entry, "\(what) '\(prefix)'") }
        }
    }

    private func unsafe(_ entry: String, _ reason: String) -> FetchError {
        .unsafeArchive(archive: archive, entry: entry, reason: reason)
    }
}
