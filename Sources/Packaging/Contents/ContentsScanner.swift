import Definitions
import Globbing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks an install dir with `lstat` (symlinks are never followed) and builds `PackageContents`:
/// - `exclude` patterns drop an entry and everything below it (a directory also matches as
///   `dir/`, so `share/man/**` drops `share/man` itself);
/// - modes come from the disk, owner and group from `PackageInfo` (never the builder's ids);
/// - times are clamped into `[PackageInfo.minimumEpoch, effectiveEpoch]`;
/// - regular files with several names in the tree become one file and hard links to it;
/// - devices, FIFOs, sockets, names that are not UTF-8 or contain a newline are refused.
struct ContentsScanner {
    let root: String
    let info: PackageInfo
    let patterns: [ExcludePattern]

    init(root: String, info: PackageInfo, exclude: [String]) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.info = info
        self.patterns = exclude.map(ExcludePattern.init)
    }

    private struct Found {
        /// Relative to the install dir for scanned entries; the absolute path for extra ones.
        var relative: String
        var kind: PackageEntry.Kind
        var status: stat
        var extra: PackageInfo.ExtraEntry? = nil

        func installPath(in installDir: String) -> String {
            if extra != nil { return relative }
            return relative.isEmpty ? installDir : installDir + "/" + relative
        }
    }

    func scan() throws(PackagingError) -> PackageContents {
        var rootStatus = stat()
        guard stat(root, &rootStatus) == 0 else {
            throw .missingRoot(path: root, reason: String(cString: strerror(errno)))
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw .missingRoot(path: root, reason: "not a directory")
        }
        var found = [Found(relative: "", kind: .directory, status: rootStatus)]
        do {
            try DirectoryWalker.walk(root, visit: { entry throws(PackagingError) in
                guard entry.nameIsUTF8 else {
                    throw .unsupportedName(path: entry.absolute, reason: "the file name is not valid UTF-8")
                }
                guard let status = entry.status() else {
                    throw .unreadable(path: entry.absolute, reason: String(cString: strerror(errno)))
                }
                if isExcluded(entry.path, isDirectory: entry.kind == .directory) { return false }
                switch entry.kind {
                case .file: found.append(Found(relative: entry.path, kind: .file, status: status))
                case .directory: found.append(Found(relative: entry.path, kind: .directory, status: status))
                case .symlink:
                    found.append(Found(relative: entry.path, kind: .symlink(target: try linkTarget(entry.absolute)), status: status))
                case .special:
                    throw .unsupportedEntry(path: entry.absolute, reason: "a device, FIFO or socket cannot be packaged")
                }
                return true
            }, unreadable: { relative, code throws(PackagingError) in
                throw .unreadable(path: relative.isEmpty ? root : root + "/" + relative, reason: String(cString: strerror(code)))
            })
        } catch let error as PackagingError {
            throw error
        } catch {
            throw .unreadable(path: root, reason: "\(error)")
        }
        let installDir = info.normalizedInstallDir
        found += try info.extraEntries.map { extra throws(PackagingError) in try describe(extra) }
        found.sort { pathPrecedes($0.installPath(in: installDir), $1.installPath(in: installDir)) }
        return try contents(from: found)
    }

    private func isExcluded(_ relative: String, isDirectory: Bool) -> Bool {
        patterns.contains { $0.matches(relative) || (isDirectory && $0.matches(relative + "/")) }
    }

    private func contents(from found: [Found]) throws(PackagingError) -> PackageContents {
        let installDir = info.normalizedInstallDir
        // Names of each multiply-linked regular file, in path order.
        var linkGroups: [String: [Int]] = [:]
        for (index, item) in found.enumerated() where item.kind == .file && item.status.st_nlink > 1 {
            linkGroups["\(item.status.st_dev):\(item.status.st_ino)", default: []].append(index)
        }
        var firstOfGroup: [Int: (first: Int, count: Int)] = [:]
        for members in linkGroups.values where members.count > 1 {
            for member in members { firstOfGroup[member] = (members[0], members.count) }
        }
        let configFiles = Set(info.configFiles)
        var entries: [PackageEntry] = []
        entries.reserveCapacity(found.count)
        var nextInode: UInt32 = 1
        var inodeOfFirst: [Int: UInt32] = [:]
        for (index, item) in found.enumerated() {
            let path = item.installPath(in: installDir)
            var sourcePath = item.relative.isEmpty ? root : root + "/" + item.relative
            if let extra = item.extra { sourcePath = if case .file(let source) = extra.kind { source } else { extra.path } }
            var kind = item.kind
            var inode: UInt32
            var linkCount: UInt32 = 1
            if let group = firstOfGroup[index] {
                linkCount = UInt32(group.count)
                if group.first == index {
                    inode = nextInode
                    inodeOfFirst[index] = inode
                    nextInode += 1
                } else {
                    inode = inodeOfFirst[group.first]!
                    let target = found[group.first].relative
                    kind = .hardlink(target: installDir + "/" + target)
                }
            } else {
                inode = nextInode
                nextInode += 1
            }
            let size: Int64
            switch item.kind {
            case .file: size = Int64(item.status.st_size)
            case .symlink(let target): size = Int64(target.utf8.count)
            default: size = 0
            }
            try checkName(path)
            entries.append(PackageEntry(
                path: path, sourcePath: sourcePath, kind: kind,
                permissions: UInt32(item.status.st_mode) & 0o7777, size: size,
                modificationTime: clamp(Int64(item.status.st_mtim.tv_sec)),
                user: item.extra?.user ?? info.user, group: item.extra?.group ?? info.group, inode: inode, linkCount: linkCount,
                isConfig: item.extra?.isConfig ?? configFiles.contains(path)))
        }
        try checkConfigFiles(entries, installDir: installDir)
        return PackageContents(installDir: installDir, entries: entries)
    }

    /// An extra entry as if it had been found on disk: a file's size, mode and time come from
    /// its source; a declared directory or link gets the epoch.
    private func describe(_ extra: PackageInfo.ExtraEntry) throws(PackagingError) -> Found {
        let installDir = info.normalizedInstallDir
        // The rule validate applies to `files:`, applied again to what reaches packaging.
        if let problem = PackageFieldRules.packageFileProblem(extra.path, installDir: installDir) {
            throw .unsupportedEntry(path: extra.path, reason: problem)
        }
        var status = stat()
        status.st_mtim.tv_sec = Int(info.effectiveEpoch)
        let kind: PackageEntry.Kind
        switch extra.kind {
        case .file(let source):
            guard stat(source, &status) == 0 else {
                throw .unreadable(path: source, reason: String(cString: strerror(errno)))
            }
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw .unsupportedEntry(path: source, reason: "the source of \(extra.path) is not a regular file")
            }
            // One name in the package, whatever links the repository's file has.
            status.st_nlink = 1
            kind = .file
            if let permissions = extra.permissions { status.st_mode = S_IFREG | mode_t(permissions) } else {
                // A checkout's umask must not decide the package: rw-r--r--, executable bits kept.
                status.st_mode = S_IFREG | (status.st_mode & 0o111 != 0 ? 0o755 : 0o644)
            }
        case .symlink(let target):
            kind = .symlink(target: target)
            status.st_mode = S_IFLNK | 0o777
        case .directory:
            kind = .directory
            status.st_mode = S_IFDIR | mode_t(extra.permissions ?? 0o755)
        }
        return Found(relative: extra.path, kind: kind, status: status, extra: extra)
    }

    private func clamp(_ time: Int64) -> Int64 {
        min(max(time, PackageInfo.minimumEpoch), info.effectiveEpoch)
    }

    private func checkConfigFiles(_ entries: [PackageEntry], installDir: String) throws(PackagingError) {
        for path in Set(info.configFiles).sorted(by: pathPrecedes) {
            guard let entry = entries.first(where: { $0.path == path }) else {
                let reason = path.hasPrefix(installDir + "/") ? "not in the install dir (or excluded)" : "outside the install dir \(installDir)"
                throw .configFileNotPackaged(path: path, reason: reason)
            }
            guard entry.isRegular else {
                throw .configFileNotPackaged(path: path, reason: "not a regular file")
            }
        }
    }

    /// dpkg unpacks each file as `<name>.dpkg-new` first, so a name longer than 255 - 9 bytes
    /// packages fine and then fails `dpkg -i` with "File name too long".
    static let maximumNameBytes = 255 - ".dpkg-new".utf8.count

    private func checkName(_ path: String) throws(PackagingError) {
        if path.contains(where: \.isNewline) {
            throw .unsupportedName(path: path, reason: "a file name with a line break cannot be listed in md5sums or conffiles")
        }
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > Self.maximumNameBytes }) {
            throw .unsupportedName(path: path, reason: "the name '\(long.prefix(40))...' is \(long.utf8.count) bytes; dpkg installs through a temporary name \(".dpkg-new".utf8.count) bytes longer, and file systems allow 255, so at most \(Self.maximumNameBytes)")
        }
    }

    private func linkTarget(_ path: String) throws(PackagingError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count - 1) }
        }
        guard count >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard let target = String(validating: buffer[..<count], as: UTF8.self) else {
            throw .unsupportedName(path: path, reason: "the symlink target is not valid UTF-8")
        }
        if target.contains(where: \.isNewline) {
            throw .unsupportedName(path: path, reason: "a symlink target with a line break cannot be packaged")
        }
        return target
    }
}
