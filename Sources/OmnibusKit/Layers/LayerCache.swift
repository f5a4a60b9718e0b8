import Foundation

/// Built layers stored by cache key: `<cache>/layers/<key>/tree` (laid out like the install
/// dir) and `<key>/layer.json`. An entry is written under a temporary name and renamed into
/// place, so a half-written entry is never taken for a finished one.
struct LayerCache: Sendable {
    let directory: String

    init(cacheDir: String) {
        directory = cacheDir + "/layers"
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
        let temporary = directory + "/.incoming-\(layer.cacheKey)-\(getpid())"
        let fm = FileManager.default
        try? fm.removeItem(atPath: temporary)
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
