import Foundation
import Packaging

/// `omnibus cache`: what the layer cache holds, checking it, and trimming it.
package struct CacheMaintenance: Sendable {
    let cache: LayerCache
    let cacheDir: String

    package init(settings: BuildSettings) {
        cache = LayerCache(cacheDir: settings.cacheDir)
        cacheDir = settings.cacheDir
    }

    package var directory: String { cache.directory }

    package struct Row: Sendable {
        package let key: String
        package let software: String
        package let version: String
        package let project: String
        package let bytes: Int64
        package let lastUsed: Date
    }

    package func list() -> [Row] {
        cache.stored().map { entry in
            Row(key: entry.key, software: entry.layer?.software ?? "?", version: entry.layer?.version ?? "?",
                project: entry.layer?.project ?? "?", bytes: entry.bytes, lastUsed: entry.lastUsed)
        }
    }

    /// Every entry checked against its manifest; damaged ones are removed. Returns (checked, removed with why).
    package func verify() -> (checked: Int, removed: [(key: String, software: String, problem: String)]) {
        var removed: [(String, String, String)] = []
        let entries = cache.stored()
        for entry in entries {
            if case .corrupt(let problem) = cache.check(entry.key) {
                removed.append((entry.key, entry.layer?.software ?? "?", problem))
            }
        }
        return (entries.count, removed)
    }

    /// Removes entries unused for more than `keepDays`, then the least recently used until the
    /// cache is at most `maxBytes`. Returns what was removed.
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
        for row in removed { cache.remove(row.key) }
        return removed
    }

    /// Removes the entries built for `project`, and the compressed payload segments its
    /// packaging kept (listed as software `payload segment`).
    package func clear(project: String) -> [Row] {
        let doomed = list().filter { $0.project == project }
        for row in doomed { cache.remove(row.key) }
        let segments = PayloadSegmentStore.maintained(cacheDir: cacheDir)
        let kept = segments.entries(of: project)
        for entry in kept { segments.remove(entry.key) }
        return doomed + kept.map { Row(key: $0.key, software: "payload segment", version: "", project: project, bytes: $0.bytes, lastUsed: Date()) }
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
