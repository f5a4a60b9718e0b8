import Foundation
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

    func lookup(_ key: String) -> Lookup {
        let dir = directory + "/" + key
        guard FileManager.default.fileExists(atPath: dir + "/layer.json") else { return .miss }
        let lock = KeyLock(directory: directory, key: key, exclusive: false)
        defer { withExtendedLifetime(lock) {} }
        switch Self.verify(dir, key: key) {
        case .success(let layer):
            // The entry's time is its last use, which `omnibus cache prune --keep-days` goes by.
            utimes(dir, nil)
            return .hit(Entry(tree: dir + "/tree", layer: layer))
        case .failure(let problem):
            lock.upgrade()
            remove(key)
            return .corrupt(problem.description)
        }
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
        let expected = Dictionary(layer.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let actual = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for (path, entry) in expected.sorted(by: { $0.key < $1.key }) {
            guard let on = actual[path] else { return .failure(Problem(description: "\(path) is missing")) }
            guard on == entry else {
                let what = on.kind != entry.kind ? "is a \(on.kind.rawValue), not a \(entry.kind.rawValue)"
                    : on.sha256 != entry.sha256 || on.size != entry.size ? "has other content (sha256 \(on.sha256 ?? "-"), expected \(entry.sha256 ?? "-"))"
                    : on.mode != entry.mode ? "has mode \(String(on.mode, radix: 8)), expected \(String(entry.mode, radix: 8))"
                    : "points to \(on.target ?? "-"), expected \(entry.target ?? "-")"
                return .failure(Problem(description: "\(path) \(what)"))
            }
        }
        if let extra = actual.keys.sorted().first(where: { expected[$0] == nil }) {
            return .failure(Problem(description: "\(extra) is not in its manifest"))
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
        defer { try? fm.removeItem(atPath: temporary) }
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        if fm.fileExists(atPath: tree) {
            if rename(tree, temporary + "/tree") != 0 {
                try fm.copyItem(atPath: tree, toPath: temporary + "/tree")
            }
        } else {
            try fm.createDirectory(atPath: temporary + "/tree", withIntermediateDirectories: true)
        }
        try LayerRecord.encode(layer).write(to: URL(fileURLWithPath: temporary + "/layer.json"))
        let lock = KeyLock(directory: directory, key: layer.cacheKey, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
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
        if rename(directory + "/" + key, doomed) == 0 { try? FileManager.default.removeItem(atPath: doomed) }
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
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in walker {
                var info = stat()
                if lstat(path + "/" + relative, &info) == 0 { total += Int64(info.st_blocks) * 512 }
            }
        }
        return total
    }
}

/// `flock` on `<layers>/.locks/<key>.lock`: shared while an entry is read, exclusive while it is
/// written or removed. Released when the value goes away.
final class KeyLock: Sendable {
    private let descriptor: Int32

    init(directory: String, key: String, exclusive: Bool) {
        try? FileManager.default.createDirectory(atPath: directory + "/.locks", withIntermediateDirectories: true)
        descriptor = open(directory + "/.locks/" + key + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if descriptor >= 0 { flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) }
    }

    func upgrade() {
        if descriptor >= 0 { flock(descriptor, LOCK_EX) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
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
