/// One search path as the loader walks it (an object's RPATH or RUNPATH, the `ld.so.conf`
/// directories, the default directories): in each directory the capability subdirectories
/// first, then the directory itself. Built once per distinct path and shared by every file
/// whose objects use it, so an RPATH is expanded into directories and listed once per run.
final class SearchList: Sendable {
    struct Directory: Sendable {
        /// Prepended to a name to give the path the loader opens.
        let prefix: String
        /// The directory's names; nil when each candidate must be opened to find out.
        let names: Set<String>?
    }

    /// Directories that exist, in search order. A directory reached again under another path
    /// (a symlink, `/lib` and `/usr/lib` on merged systems) is left out: it holds the same
    /// files, so trying it again cannot find what the first try did not.
    let directories: [Directory]
    /// For a long list, the first directory listing each name, so a name costs one lookup
    /// whatever the number of directories; nil for short lists, where scanning is as cheap.
    private let firstListing: [String: Int]?
    private let firstUnlisted: Int?

    private static let indexedLength = 8

    init(directories paths: [String], subdirectories: [String], listing: (String) -> DirectoryListing) {
        var directories: [Directory] = []
        var seen = Set<FileID>()
        func add(_ answer: DirectoryListing, prefix: String) {
            guard let id = answer.id, seen.insert(id).inserted else { return }
            if case .names(_, let names) = answer {
                directories.append(Directory(prefix: prefix, names: names))
            } else {
                directories.append(Directory(prefix: prefix, names: nil))
            }
        }
        for path in paths {
            let base = path.isEmpty ? "" : (path == "/" ? "/" : path + "/")
            let own = listing(path)
            if case .missing = own { continue }
            for subdirectory in subdirectories {
                // A subdirectory whose first component the listing lacks cannot exist: no need
                // to ask the file system about each capability level.
                if case .names(_, let names) = own,
                   !names.contains(String(subdirectory.prefix { $0 != "/" })) { continue }
                add(listing(base + subdirectory), prefix: base + subdirectory + "/")
            }
            add(own, prefix: base)
        }
        self.directories = directories
        firstUnlisted = directories.firstIndex { $0.names == nil }
        if directories.count > Self.indexedLength {
            var first: [String: Int] = [:]
            for (position, directory) in directories.enumerated().reversed() {
                for name in directory.names ?? [] { first[name] = position }
            }
            firstListing = first
        } else {
            firstListing = nil
        }
    }

    /// The position to start looking for `name` from: every directory before it is known not
    /// to hold it.
    func start(for name: String) -> Int {
        guard let firstListing else { return 0 }
        return min(firstListing[name] ?? directories.count, firstUnlisted ?? directories.count)
    }
}
