import Foundation
import Packaging

/// `omnibus cache`: what the layer cache and the package cache hold, checking them, and trimming them.
package struct CacheMaintenance: Sendable {
    let cache: LayerCache
    let packages: PackageCache
    let cacheDir: String

    package init(settings: BuildSettings) {
        cache = LayerCache(cacheDir: settings.cacheDir)
        packages = PackageCache(cacheDir: settings.cacheDir)
        cacheDir = settings.cacheDir
    }

    package var directory: String { cache.directory }
    package var packagesDirectory: String { packages.directory }

    package enum Kind: Sendable, Equatable {
        /// `<cache>/layers/<key>`: one software's layer.
        case layer
        /// `<cache>/packages/<key>`: the packages of one build (`software` lists their formats).
        case packages
        /// `<cache>/payload-segments/<key>.*`: one layer's compressed payload (only `clear` lists them).
        case payloadSegment
    }

    package struct Row: Sendable {
        package let kind: Kind
        package let key: String
        package let software: String
        package let version: String
        package let project: String
        package let bytes: Int64
        package let lastUsed: Date
    }

    /// Layers first, then package entries.
    package func list() -> [Row] {
        cache.stored().map { entry in
            Row(kind: .layer, key: entry.key, software: entry.layer?.software ?? "?", version: entry.layer?.version ?? "?",
                project: entry.layer?.project ?? "?", bytes: entry.bytes, lastUsed: entry.lastUsed)
        } + packages.stored().map { entry in
            Row(kind: .packages, key: entry.key, software: entry.formats?.joined(separator: ", ") ?? "?",
                version: entry.files.first ?? "?", project: entry.project ?? "?", bytes: entry.bytes, lastUsed: entry.lastUsed)
        }
    }

    /// Every entry checked against its manifest (every package file hashed); damaged ones are
    /// removed. Returns (checked, removed with why).
    package func verify() -> (layers: Int, packageSets: Int, removed: [(kind: Kind, key: String, software: String, problem: String)]) {
        var removed: [(Kind, String, String, String)] = []
        let entries = cache.stored()
        for entry in entries {
            if case .corrupt(let problem) = cache.check(entry.key) {
                removed.append((.layer, entry.key, entry.layer?.software ?? "?", problem))
            }
        }
        let packaged = packages.stored()
        for entry in packaged {
            if let problem = packages.check(entry.key) {
                removed.append((.packages, entry.key, entry.formats?.joined(separator: ", ") ?? "?", problem))
            }
        }
        return (entries.count, packaged.count, removed)
    }

    private func remove(_ row: Row) {
        switch row.kind {
        case .layer: cache.remove(row.key)
        case .packages: packages.remove(row.key)
        case .payloadSegment: PayloadSegmentStore.maintained(cacheDir: cacheDir).remove(row.key)
        }
    }

    /// Removes entries (layers and packages alike) unused for more than `keepDays`, then the least
    /// recently used until the cache is at most `maxBytes`. Returns what was removed.
    package func prune(keepDays: Int?, maxBytes: Int64?, now: Date = Date()) -> [Row] {
        var rows = list().sorted { $0.lastUsed < $1.lastUsed }
        var removed: [Row] = []
        if let keepDays {
            let limit = now.addingTimeInterval(-Double(keepDays) * 86_400)
            for row in rows where row.lastUsed < limit { removed.append(row) }
            rows.removeAll { $0.lastUsed < limit }
        }
        if let maxBytes {
            var total = rows.reduce(0) { $0 + $1.bytes }
            while total > maxBytes, let oldest = rows.first {
                removed.append(oldest)
                total -= oldest.bytes
                rows.removeFirst()
            }
        }
        for row in removed { remove(row) }
        return removed
    }

    /// Removes the layers and packages built for `project`, and the compressed payload segments
    /// its packaging kept (listed as software `payload segment`).
    package func clear(project: String) -> [Row] {
        let doomed = list().filter { $0.project == project }
        for row in doomed { remove(row) }
        let segments = PayloadSegmentStore.maintained(cacheDir: cacheDir)
        let kept = segments.entries(of: project)
        for entry in kept { segments.remove(entry.key) }
        return doomed + kept.map { Row(kind: .payloadSegment, key: $0.key, software: "payload segment", version: "", project: project, bytes: $0.bytes, lastUsed: Date()) }
    }

    /// `1.5 GB`, `300 MB`, `12 KB` (powers of 1000, as `du --si`).
    package static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// `10G`, `500M`, `2000000` -> bytes (powers of 1000; `Gi`/`Mi` for 1024).
    package static func parseSize(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("TI", 1 << 40), ("GI", 1 << 30), ("MI", 1 << 20), ("KI", 1 << 10),
                                        ("T", 1_000_000_000_000), ("G", 1_000_000_000), ("M", 1_000_000), ("K", 1000), ("B", 1)]
        var upper = text.uppercased().trimmingCharacters(in: .whitespaces)
        if upper.hasSuffix("B") && upper.count > 1 && !upper.dropLast().last!.isNumber { upper.removeLast() }
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let number = Double(upper.dropLast(suffix.count)), number >= 0 else { return nil }
            return Int64(number * Double(factor))
        }
        return Int64(upper)
    }
}

/// A signing key for the remote cache as commands print it, so they need not know Digest.
package struct Ed25519PublicKeyText: Sendable {
    package let hex: String
    package let keyID: String

    /// Writes a new private key at `path` (PEM, 0600) and its public key at `path.pub`.
    package static func generate(at path: String) throws -> Ed25519PublicKeyText {
        let key = try RemoteCacheKeys.generate(at: path)
        try Data((key.pem.hasSuffix("\n") ? key.pem : key.pem + "\n").utf8).write(to: URL(fileURLWithPath: path + ".pub"))
        return Ed25519PublicKeyText(hex: key.hex, keyID: key.keyID)
    }
}
