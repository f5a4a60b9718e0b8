import Foundation
import Globbing
import Scratch
#if canImport(Glibc)
import Glibc
#endif

/// Built layers stored by key: `<cache>/layers/<key>/tree` (laid out like the install dir) and
/// `<key>/layer.json`, the manifest of every file (path, mode, size, SHA-256, link target).
///
/// Nothing is restored on trust: a lookup checks the tree against its manifest and treats any
/// difference (a flipped byte, a missing or extra file, a changed mode) as a miss, removing the
/// entry. Entries are written under a temporary name and renamed, under a per-key lock shared
/// by every process using the cache, so a concurrent build never sees a partial entry and two
/// builds storing the same key keep one.
struct LayerCache: Sendable {
    let directory: String

    init(cacheDir: String) {
        directory = cacheDir + "/layers"
    }

    struct Entry: Sendable {
        let tree: String
        let layer: Layer
    }

    enum Lookup: Sendable {
        case hit(Entry)
        case miss
        /// The entry did not match its manifest and was removed.
        case corrupt(String)
    }

    /// The entry for `key` if it is sound, for a build: the lookup counts as a use of it.
    func lookup(_ key: String) -> Lookup {
        let found = check(key)
        // The entry's time is its last use, which `omnibus cache prune --keep-days` goes by.
        if case .hit(let entry) = found { utimes((entry.tree as NSString).deletingLastPathComponent, nil) }
        return found
    }

    /// Checks the entry for `key` against its manifest and removes it when it does not match,
    /// without counting as a use (`omnibus cache verify`).
    func check(_ key: String) -> Lookup {
        let dir = directory + "/" + key
        guard FileManager.default.fileExists(atPath: dir + "/layer.json") else { return .miss }
        let lock = keyLock(key)
        defer { withExtendedLifetime(lock) {} }
        lock?.lock(exclusive: false)
        switch Self.verify(dir, key: key) {
        case .success(let layer):
            return .hit(Entry(tree: dir + "/tree", layer: layer))
        case .failure(let problem):
            lock?.lock(exclusive: true)
            remove(key)
            return .corrupt(problem.description)
        }
    }

    /// An entry this process has just written and checked file by file (a remote restore), read
    /// without hashing its tree a second time.
    func storedEntry(_ key: String) -> Entry? {
        let dir = directory + "/" + key
        guard let data = FileManager.default.contents(atPath: dir + "/layer.json"),
              let layer = try? JSONDecoder().decode(Layer.self, from: data), layer.cacheKey == key else { return nil }
        utimes(dir, nil)
        return Entry(tree: dir + "/tree", layer: layer)
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Checks an entry's tree against its manifest.
    static func verify(_ entryDirectory: String, key: String) -> Result<Layer, Problem> {
        guard let data = FileManager.default.contents(atPath: entryDirectory + "/layer.json"),
              let layer = try? JSONDecoder().decode(Layer.self, from: data) else {
            return .failure(Problem(description: "its layer.json is missing or unreadable"))
        }
        guard layer.cacheKey == key else { return .failure(Problem(description: "its layer.json is for key \(layer.cacheKey)")) }
        let found: [Layer.Entry]
        do { found = FileManager.default.fileExists(atPath: entryDirectory + "/tree") ? try TreeScanner.scan(entryDirectory + "/tree") : [] } catch {
            return .failure(Problem(description: "its tree cannot be read: \(error)"))
        }
        // The same rule a remote restore applies before it stores an entry.
        if let difference = LayerTreeCheck.difference(expected: layer.entries, actual: found, contents: true) {
            return .failure(Problem(description: difference))
        }
        return .success(layer)
    }

    /// Moves (or copies, across file systems) a finished tree into the cache. If another build
    /// stored the same key meanwhile and its entry is sound, that one is kept.
    func store(tree: String, layer: Layer) throws -> Entry {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = directory + "/" + layer.cacheKey
        let temporary = directory + "/" + OwnedName.make(prefix: ".incoming-")
        defer { ScratchFiles.remove(temporary) }
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        if fm.fileExists(atPath: tree) {
            if rename(tree, temporary + "/tree") != 0 {
                try fm.copyItem(atPath: tree, toPath: temporary + "/tree")
            }
        } else {
            try fm.createDirectory(atPath: temporary + "/tree", withIntermediateDirectories: true)
        }
        try LayerRecord.encode(layer).write(to: URL(fileURLWithPath: temporary + "/layer.json"))
        let lock = keyLock(layer.cacheKey)
        defer { withExtendedLifetime(lock) {} }
        lock?.lock(exclusive: true)
        if fm.fileExists(atPath: final) {
            if case .success = Self.verify(final, key: layer.cacheKey) { return Entry(tree: final + "/tree", layer: layer) }
            remove(layer.cacheKey)
        }
        guard rename(temporary, final) == 0 else {
            throw Problem(description: "cannot rename \(temporary) to \(final): \(String(cString: strerror(errno)))")
        }
        return Entry(tree: final + "/tree", layer: layer)
    }

    /// Removes an entry: renamed aside first, so a reader never sees it half deleted.
    func remove(_ key: String) {
        let doomed = directory + "/" + OwnedName.make(prefix: ".removing-")
        if rename(directory + "/" + key, doomed) == 0 { ScratchFiles.remove(doomed) }
    }

    /// `<layers>/.locks/<key>.lock`: shared while an entry is read, exclusive while it is written
    /// or removed, by every process using the cache. Nil only when the lock file cannot be made,
    /// and then the entry is used unlocked rather than not at all.
    private func keyLock(_ key: String) -> FileLock? {
        try? FileManager.default.createDirectory(atPath: directory + "/.locks", withIntermediateDirectories: true)
        return FileLock(path: directory + "/.locks/" + key + ".lock")
    }

    /// One stored entry, as `omnibus cache list` shows it.
    struct Stored: Sendable {
        let key: String
        let layer: Layer?
        let bytes: Int64
        let lastUsed: Date
    }

    func stored() -> [Stored] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { key in
            let dir = directory + "/" + key
            let layer = FileManager.default.contents(atPath: dir + "/layer.json").flatMap { try? JSONDecoder().decode(Layer.self, from: $0) }
            var info = stat()
            let used = stat(dir, &info) == 0 ? Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) : Date.distantPast
            return Stored(key: key, layer: layer, bytes: Self.diskUsage(dir), lastUsed: used)
        }
    }

    /// Temporaries left by processes that died while storing or removing (named by `OwnedName`,
    /// so those of running builds are told apart and kept).
    func sweepStale() {
        AbandonedTemporaries.sweep(directory, prefix: ".incoming-")
        AbandonedTemporaries.sweep(directory, prefix: ".removing-")
    }

    static func diskUsage(_ path: String) -> Int64 {
        var total: Int64 = 0
        DirectoryWalker.walk(path, visit: { entry in
            if let info = entry.status() { total += Int64(info.st_blocks) * 512 }
            return entry.kind == .directory
        }, unreadable: { _, _ in })
        return total
    }
}

/// Deterministic JSON for layer records: sorted keys, no timestamps.
enum LayerRecord {
    static func encode(_ layer: Layer) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(layer) + Data("\n".utf8)
    }
}
