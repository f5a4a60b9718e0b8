import Digest
import Foundation
import OmnibusKit
import Testing

/// Local layer cache entries made by hand, exactly as the layer cache lays them out
/// (`<cache>/layers/<key>/tree`, `<key>/layer.json` with real SHA-256s), and the means to compare
/// two of them byte for byte.
enum LayerEntryFixture {
    static let software = "demo"
    static let version = "1.2.3"

    /// A fresh directory under /tmp standing for one machine's cache dir.
    static func machine(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("remote-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A key as the layer cache makes them: 64 lowercase hex digits.
    static func key(_ seed: String) throws -> String { try Digests.hex(.sha256, of: Array(seed.utf8)) }

    /// Writes a small tree with every kind of entry a layer holds: executables, a setuid file,
    /// a hard link, relative and absolute symlinks, an empty file, a name with a space, a
    /// read-only directory, and a file larger than one read chunk.
    @discardableResult
    static func makeEntry(cacheDir: String, key: String, time: time_t = 1_700_000_000) throws -> String {
        let entry = cacheDir + "/layers/" + key
        let tree = entry + "/tree"
        let fm = FileManager.default
        for dir in ["bin", "lib", "share/doc/demo", "etc/readonly"] {
            try fm.createDirectory(atPath: tree + "/" + dir, withIntermediateDirectories: true)
        }
        try write(tree + "/bin/tool", Data("#!/bin/sh\necho tool\n".utf8), mode: 0o755)
        try fm.linkItem(atPath: tree + "/bin/tool", toPath: tree + "/bin/tool-again")
        try write(tree + "/bin/helper", Data("setuid helper\n".utf8), mode: 0o4755)
        try write(tree + "/lib/libdemo.so.1", noise(count: 1_500_000), mode: 0o644)
        try fm.createSymbolicLink(atPath: tree + "/lib/libdemo.so", withDestinationPath: "libdemo.so.1")
        try fm.createSymbolicLink(atPath: tree + "/share/tool", withDestinationPath: "/opt/demo/bin/tool")
        try write(tree + "/share/doc/demo/README", Data("demo\n".utf8), mode: 0o644)
        try write(tree + "/share/doc/demo/empty", Data(), mode: 0o644)
        try write(tree + "/share/doc/demo/with space.txt", Data("spaced\n".utf8), mode: 0o600)
        try write(tree + "/etc/readonly/demo.conf", Data("setting = 1\n".utf8), mode: 0o444)
        chmod(tree + "/etc/readonly", 0o555)
        try touchAll(tree, time: time)
        let layer = Layer(software: software, version: version, cacheKey: key, entries: try scan(tree))
        try writeRecord(layer, to: entry + "/layer.json")
        return entry
    }

    /// Byte for byte what `LayerCache.store` writes.
    static func writeRecord(_ layer: Layer, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(layer) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }

    /// The tree's entries as the layer cache records them (directories, files with size and
    /// SHA-256, symlinks with their target and mode 0777), in path order.
    static func scan(_ tree: String, relative: String = "") throws -> [Layer.Entry] {
        var entries: [Layer.Entry] = []
        let directory = relative.isEmpty ? tree : tree + "/" + relative
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(tree + "/" + path, &info) == 0 else { throw NginxError("lstat \(path)") }
            let mode = UInt32(info.st_mode) & 0o7777
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                entries.append(Layer.Entry(path: path, kind: .directory, mode: mode))
                entries += try scan(tree, relative: path)
            case S_IFLNK:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: tree + "/" + path)
                entries.append(Layer.Entry(path: path, kind: .symlink, mode: 0o777, target: target))
            default:
                entries.append(Layer.Entry(path: path, kind: .file, mode: mode, size: Int64(info.st_size),
                                           sha256: try Digests.hex(.sha256, ofFile: tree + "/" + path)))
            }
        }
        return entries
    }

    /// One line per entry of a cache entry (layer.json included) with everything that must
    /// survive a round trip: kind, mode, content digest or link target, and which files are
    /// hard links of one another.
    static func fingerprint(of entry: String) throws -> [String] {
        var lines = ["layer.json " + (try Digests.hex(.sha256, ofFile: entry + "/layer.json"))]
        var inodes: [UInt64: String] = [:]
        for item in try scan(entry + "/tree") {
            var info = stat()
            lstat(entry + "/tree/" + item.path, &info)
            var line = "\(item.path) \(item.kind) 0\(String(item.mode, radix: 8)) \(item.size ?? 0) \(item.sha256 ?? item.target ?? "")"
            if item.kind == .file, info.st_nlink > 1 {
                if let first = inodes[UInt64(info.st_ino)] { line += " linked to \(first)" } else { inodes[UInt64(info.st_ino)] = item.path }
            }
            lines.append(line)
        }
        return lines
    }

    /// Names in `<cache>/layers` other than finished entries: what a failed restore must not leave.
    static func leftovers(in cacheDir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cacheDir + "/layers")) ?? []).filter { $0.hasPrefix(".") }
    }

    /// Removes a test's directory, read-only directories included.
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { remove(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Bytes that do not compress (xorshift64), the same on every run: a blob that stays large.
    static func noise(count: Int) -> Data {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return Data(bytes)
    }

    private static func write(_ path: String, _ data: Data, mode: mode_t) throws {
        try data.write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    private static func touchAll(_ root: String, time: time_t) throws {
        var times = [timespec(tv_sec: time, tv_nsec: 0), timespec(tv_sec: time, tv_nsec: 0)]
        for item in try scan(root) { utimensat(AT_FDCWD, root + "/" + item.path, &times, AT_SYMLINK_NOFOLLOW) }
    }
}
