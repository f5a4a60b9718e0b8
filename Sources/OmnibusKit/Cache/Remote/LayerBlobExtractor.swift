import Archive
import Foundation

/// Unpacks a blob into a new directory laid out as a local entry (`layer.json`, `tree/`), and
/// accepts it only if the tree is exactly what that `layer.json` lists.
///
/// Fetch's `SafeExtractor` is not used: it refuses absolute symlinks, which layers legitimately
/// hold (`bin/tool -> /opt/app/embedded/bin/tool`). The policy here is stricter in every other
/// way, since the record says in advance what each member must be: a member the record does not
/// list, listed twice, of another kind, mode, size or link target, or arriving before its
/// directory stops the extraction. As every parent must be a directory member, nothing is ever
/// written through a symlink (libarchive refuses that too), and symlink targets are only text.
enum LayerBlobExtractor {
    /// - Returns: the layer record, once the tree on disk matches it (contents included).
    static func extract(blob: String, into directory: String, key: String, software: String,
                        version: String) throws(RemoteStop) -> Layer {
        guard mkdir(directory, 0o755) == 0 else {
            throw .unavailable(.localIO(path: directory, reason: String(cString: strerror(errno))))
        }
        // libarchive refuses to write through any symlink on the way, including one in the
        // cache's own path, so it is given the real path.
        guard let resolved = realpath(directory, nil) else {
            throw .unavailable(.localIO(path: directory, reason: String(cString: strerror(errno))))
        }
        let root = String(cString: resolved)
        free(resolved)
        var policy = MemberPolicy(root: root, key: key, software: software, version: version)
        do {
            let extractor = try ArchiveExtractor(path: blob)
            try extractor.extract { info in try policy.placement(for: info) }
        } catch let stop as RemoteStop {
            throw stop
        } catch let error as ArchiveError {
            throw .rejected(.invalidBlob("it cannot be unpacked: \(error.message)"))
        } catch {
            throw .rejected(.invalidBlob("it cannot be unpacked: \(error)"))
        }
        guard let layer = policy.layer else { throw .rejected(.invalidBlob("it holds no tree")) }
        let missing = layer.entries.map(\.path).filter { !policy.seen.contains($0) }
        if let first = missing.first {
            throw .rejected(.invalidBlob("tree/\(first)\(missing.count > 1 ? " and \(missing.count - 1) more" : "") missing"))
        }
        try applyModes(layer, tree: root + "/tree")
        do {
            let actual = try TreeScanner.scan(root + "/tree", hashing: true)
            if let difference = LayerTreeCheck.difference(expected: layer.entries, actual: actual, contents: true) {
                throw RemoteStop.rejected(.invalidBlob(difference))
            }
        } catch let stop as RemoteStop {
            throw stop
        } catch {
            throw .unavailable(.localIO(path: root + "/tree", reason: "\(error)"))
        }
        return layer
    }

    /// The extractor leaves modes to the umask and drops setuid bits; the record's modes are
    /// the layer's. Deepest first, so a read-only directory is closed after its contents.
    private static func applyModes(_ layer: Layer, tree: String) throws(RemoteStop) {
        for entry in layer.entries.reversed() where entry.kind != .symlink {
            let path = tree + "/" + entry.path
            guard chmod(path, mode_t(entry.mode)) == 0 else {
                throw .unavailable(.localIO(path: path, reason: "cannot set mode: \(String(cString: strerror(errno)))"))
            }
        }
    }
}

/// Decides each member as it comes: `layer.json` first, then `tree`, then the tree's entries.
private struct MemberPolicy {
    let root: String
    let key: String
    let software: String
    let version: String
    private(set) var layer: Layer?
    private var expected: [String: Layer.Entry] = [:]
    private(set) var seen: Set<String> = []
    private var directories: Set<String> = []
    private var files: [String: Layer.Entry] = [:]
    private var sawRecord = false

    init(root: String, key: String, software: String, version: String) {
        self.root = root
        self.key = key
        self.software = software
        self.version = version
    }

    mutating func placement(for info: ArchiveEntryInfo) throws(RemoteStop) -> ExtractionPlacement? {
        var name = info.path
        while name.hasSuffix("/") { name.removeLast() }
        if !sawRecord {
            guard name == "layer.json", info.kind == .file, info.size <= LayerBlob.maximumRecordSize else {
                throw refuse("its first member is '\(name)', not the layer record layer.json")
            }
            sawRecord = true
            return ExtractionPlacement(path: root + "/layer.json")
        }
        if layer == nil {
            guard name == "tree", info.kind == .directory else { throw refuse("'\(name)' comes where tree/ should") }
            try loadRecord()
            return ExtractionPlacement(path: root + "/tree")
        }
        guard name.hasPrefix("tree/") else { throw refuse("'\(name)' is outside tree/") }
        let path = String(name.dropFirst(5))
        guard let entry = expected[path] else { throw refuse("tree/\(path) is not in the layer record") }
        guard seen.insert(path).inserted else { throw refuse("tree/\(path) appears twice") }
        if let slash = path.lastIndex(of: "/"), !directories.contains(String(path[..<slash])) {
            throw refuse("tree/\(path) comes before its directory")
        }
        guard info.mode == entry.mode else {
            throw refuse("tree/\(path) has mode 0\(String(info.mode, radix: 8)), the record says 0\(String(entry.mode, radix: 8))")
        }
        var hardlinkTarget: String?
        switch (entry.kind, info.kind) {
        case (.directory, .directory):
            directories.insert(path)
        case (.file, .file):
            guard info.size == entry.size else { throw refuse("tree/\(path) has \(info.size) bytes, the record says \(entry.size ?? 0)") }
            files[path] = entry
        case (.file, .hardlink(let target)):
            guard target.hasPrefix("tree/"), let first = files[String(target.dropFirst(5))],
                  first.sha256 == entry.sha256, first.size == entry.size else {
                throw refuse("tree/\(path) is a hard link to '\(target)', which is not an earlier file with the same contents")
            }
            hardlinkTarget = root + "/tree/" + first.path
        case (.symlink, .symlink(let target)):
            guard target == entry.target else {
                throw refuse("tree/\(path) points to '\(target)', the record says '\(entry.target ?? "")'")
            }
        default:
            throw refuse("tree/\(path) is not the \(entry.kind.rawValue) the record lists")
        }
        return ExtractionPlacement(path: root + "/tree/" + path, hardlinkTarget: hardlinkTarget)
    }

    /// `layer.json` is on disk by the time the next member is decided.
    private mutating func loadRecord() throws(RemoteStop) {
        guard let data = FileManager.default.contents(atPath: root + "/layer.json"),
              let record = try? JSONDecoder().decode(Layer.self, from: data) else {
            throw refuse("its layer.json is not a layer record")
        }
        guard record.cacheKey == key, record.software == software, record.version == version else {
            throw RemoteStop.rejected(.recordMismatch("the blob holds \(record.software) \(record.version) (key \(record.cacheKey)), "
                + "the signed record says \(software) \(version) (key \(key))"))
        }
        if let bad = record.entries.first(where: { !LayerTreeCheck.isContained($0.path) }) {
            throw refuse("its record lists '\(bad.path)', which leaves the tree")
        }
        expected = Dictionary(record.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        guard expected.count == record.entries.count else { throw refuse("its record lists a path twice") }
        layer = record
    }

    private func refuse(_ why: String) -> RemoteStop { .rejected(.invalidBlob(why)) }
}
