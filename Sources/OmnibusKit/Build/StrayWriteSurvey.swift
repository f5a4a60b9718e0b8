#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds files in the install dir that no merged layer owns (a software that wrote outside its
/// `$DESTDIR`), at a cost proportional to what changed since the last look rather than to the
/// size of the install dir.
///
/// What the check catches, as the full walk before it did: a non-directory entry (file, symlink,
/// device, FIFO, socket) at a path no merged layer owns. A changed content under an owned path
/// was never a stray write (the layer records the path, and packages are made from the install
/// dir), so contents are not looked at.
///
/// Why remembering directories cannot miss one: such an entry can only appear by creating,
/// linking or renaming a name inside a directory, and each of those changes that directory's
/// ctime (and mtime). ctime cannot be set by a user (utimensat sets mtime and bumps ctime to now),
/// so a directory whose device, inode, ctime and mtime are those recorded when it was last
/// listed has exactly the names it had then: every non-directory among them was owned then, and
/// ownership only grows during a build. Its subdirectories are still visited (a change deep
/// down does not touch the parent), but only with one `lstat` each. A directory whose recorded
/// ctime was within the file system's timestamp granularity of its listing is not trusted
/// (a change in the same clock tick would leave the same ctime, git's "racily clean" problem),
/// so it is listed again next time.
struct StrayWriteSurvey {
    let installDir: String
    /// Names skipped wherever they are (the ownership marker at the top).
    let ignoredTopLevel: Set<String>

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What one check did, for the build report.
    struct Cost: Sendable, Equatable {
        /// Directories whose names were read again.
        var listed = 0
        /// Directories visited (each at least `lstat`ed).
        var visited = 0
    }

    private struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64
        let ctime: timespec
        let mtime: timespec

        init(_ info: stat) {
            (device, inode) = (UInt64(info.st_dev), UInt64(info.st_ino))
            (ctime, mtime) = (info.st_ctim, info.st_mtim)
        }

        static func == (a: Identity, b: Identity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec
                && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
        }
    }

    /// A directory whose non-directory entries were all owned when it was listed.
    private struct Clean {
        let identity: Identity
        let subdirectories: [String]
    }

    /// Install-dir-relative path ("" for the install dir) -> what its last listing found.
    private var clean: [String: Clean] = [:]

    init(installDir: String, ignoredTopLevel: Set<String>) {
        self.installDir = installDir
        self.ignoredTopLevel = ignoredTopLevel
    }

    /// The install-dir-relative paths of unowned non-directory entries, in walk order.
    mutating func strays(owners: [String: String]) throws(Failure) -> (strays: [String], cost: Cost) {
        var strays: [String] = []
        var cost = Cost()
        try visit("", owners: owners, strays: &strays, cost: &cost)
        return (strays, cost)
    }

    /// Records the directories a merge just wrote (listing each once, which the merge's own
    /// writes already cost), so the next check does not list them again. A directory holding an
    /// unowned entry is left unrecorded: the next check lists it and reports it against the
    /// software that finished, as the full walk did.
    mutating func merged(directories: Set<String>, owners: [String: String]) {
        for relative in directories.sorted() {
            let listedAt = Self.now()
            guard let info = status(relative), Self.isDirectory(info),
                  let listing = try? list(relative) else { continue }
            guard listing.others.allSatisfy({ owned($0, owners) }) else { clean[relative] = nil; continue }
            remember(relative, info, listedAt: listedAt, subdirectories: listing.subdirectories)
        }
    }

    private mutating func visit(_ relative: String, owners: [String: String], strays: inout [String],
                                cost: inout Cost) throws(Failure) {
        let listedAt = Self.now()
        guard let info = status(relative) else {
            // Gone since its parent was listed (a build removing its own directory): nothing in it is left.
            if relative.isEmpty { throw Failure(description: "cannot stat \(installDir): \(String(cString: strerror(errno)))") }
            return
        }
        guard Self.isDirectory(info) else {
            // Replaced by something else after its parent was listed: that is the entry now.
            if !owned(relative, owners) { strays.append(relative) }
            return
        }
        cost.visited += 1
        let subdirectories: [String]
        if let known = clean[relative], known.identity == Identity(info) {
            subdirectories = known.subdirectories
        } else {
            cost.listed += 1
            let listing = try list(relative)
            let unowned = listing.others.filter { !owned($0, owners) }
            strays += unowned
            if unowned.isEmpty {
                remember(relative, info, listedAt: listedAt, subdirectories: listing.subdirectories)
            } else {
                clean[relative] = nil
            }
            subdirectories = listing.subdirectories
        }
        for directory in subdirectories {
            try visit(directory, owners: owners, strays: &strays, cost: &cost)
        }
    }

    private func owned(_ path: String, _ owners: [String: String]) -> Bool {
        owners[path] != nil || (!path.contains("/") && ignoredTopLevel.contains(path))
    }

    private mutating func remember(_ relative: String, _ info: stat, listedAt: Int64, subdirectories: [String]) {
        guard Self.settled(info, listedAt: listedAt) else { clean[relative] = nil; return }
        clean[relative] = Clean(identity: Identity(info), subdirectories: subdirectories)
    }

    /// Whether any change to the directory after it was listed is sure to give it another
    /// ctime: its ctime is older than the listing by more than the clock tick file systems stamp
    /// with (the coarse kernel clock, at most 10 ms at HZ=100; a whole second where the file
    /// system stores no nanoseconds, which shows as a zero nanosecond field).
    private static func settled(_ info: stat, listedAt: Int64) -> Bool {
        let margin: Int64 = info.st_ctim.tv_nsec == 0 ? 2_000_000_000 : 20_000_000
        let ctime = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        return listedAt - ctime > margin
    }

    /// Nanoseconds of the clock file systems stamp times with.
    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    private func status(_ relative: String) -> stat? {
        var info = stat()
        return lstat(absolute(relative), &info) == 0 ? info : nil
    }

    private static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

    private func absolute(_ relative: String) -> String { relative.isEmpty ? installDir : installDir + "/" + relative }

    /// One directory's entries, as relative paths: subdirectories apart from everything else.
    private func list(_ relative: String) throws(Failure) -> (subdirectories: [String], others: [String]) {
        let directory = absolute(relative)
        guard let stream = opendir(directory) else {
            throw Failure(description: "cannot list \(directory): \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        var subdirectories: [String] = []
        var others: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(directory + "/" + name, &info) == 0 else { continue }
                type = Self.isDirectory(info) ? Int32(DT_DIR) : Int32(DT_REG)
            }
            if type == Int32(DT_DIR) { subdirectories.append(path) } else { others.append(path) }
        }
        subdirectories.sort()
        others.sort()
        return (subdirectories, others)
    }
}
