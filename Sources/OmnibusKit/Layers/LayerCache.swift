import Foundation
import Scratch

/// Built layers stored by cache key: `<cache>/layers/<key>/tree` (laid out like the install
/// dir) and `<key>/layer.json`. An entry is written under a temporary name and renamed into
/// place, so a half-written entry is never taken for a finished one.
struct LayerCache: Sendable {
    /// Entries being written: `.incoming-<pid>-<host>-<random>`, so that a later run can tell
    /// the ones a killed build left from the ones another build is writing now.
    static let incomingPrefix = ".incoming-"

    let directory: String

    init(cacheDir: String) {
        directory = cacheDir + "/layers"
    }

    /// Removes the incoming entries of builds that are gone.
    func sweepAbandonedEntries() {
        AbandonedTemporaries.sweep(directory, prefix: Self.incomingPrefix)
    }

    struct Entry: Sendable {
        let tree: String
        let layer: Layer
    }

    func lookup(_ key: String) -> Entry? {
        let dir = directory + "/" + key
        guard let data = FileManager.default.contents(atPath: dir + "/layer.json"),
              let layer = try? JSONDecoder().decode(Layer.self, from: data), layer.cacheKey == key else { return nil }
        return Entry(tree: dir + "/tree", layer: layer)
    }

    /// Moves (or copies, across file systems) a finished tree into the cache.
    func store(tree: String, layer: Layer) throws -> Entry {
        let final = directory + "/" + layer.cacheKey
        let temporary = directory + "/" + OwnedName.make(prefix: Self.incomingPrefix)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            if fm.fileExists(atPath: tree) {
                if rename(tree, temporary + "/tree") != 0 {
                    try fm.copyItem(atPath: tree, toPath: temporary + "/tree")
                }
            } else {
                try fm.createDirectory(atPath: temporary + "/tree", withIntermediateDirectories: true)
            }
            try LayerRecord.encode(layer).write(to: URL(fileURLWithPath: temporary + "/layer.json"))
            if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
            try fm.moveItem(atPath: temporary, toPath: final)
        } catch {
            // The build fails with this error; a half-stored entry would only take up space.
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        return Entry(tree: final + "/tree", layer: layer)
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
