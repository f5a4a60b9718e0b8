import Foundation

/// Why `/etc/ld.so.cache` could not be used.
package struct LoaderCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    package let path: String
    package let reason: String
    package var description: String { "\(path): unusable loader cache: \(reason)" }
}

/// The loader cache `ldconfig` writes (`/etc/ld.so.cache`), in the current format
/// (`glibc-ld.so.cache1.1`) or the old `ld.so-1.7.0` format, alone or with the new one appended.
package struct LoaderCache: Sendable {
    /// One library the cache knows.
    package struct Entry: Sendable, Equatable {
        /// The name looked up (a soname such as `libz.so.1`).
        package let name: String
        /// Where the loader opens it.
        package let path: String
        /// Type and ABI flags; the loader only takes entries whose flags equal its own ID.
        package let flags: Int32
        /// Hardware-capability bits; entries for `glibc-hwcaps` subdirectories carry bit 62.
        package let hwcap: UInt64
        /// For a `glibc-hwcaps` entry, the subdirectory name (such as `x86-64-v3`).
        package let hwcapsSubdirectory: String?
    }

    package let path: String
    /// Entries in file order; the loader prefers the first plain entry among equal names.
    package let entries: [Entry]
    private let index: [String: [Int]]

    private static let oldMagic = Array("ld.so-1.7.0".utf8)
    private static let newMagic = Array("glibc-ld.so.cache1.1".utf8)
    private static let hwcapExtensionBit: UInt64 = 1 << 62

    /// Reads and parses the cache file.
    package init(contentsOf path: String = "/etc/ld.so.cache") throws(LoaderCacheError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoaderCacheError(path: path, reason: "cannot read the file")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    /// Parses cache bytes; `path` is used in messages only.
    package init(bytes: [UInt8], path: String) throws(LoaderCacheError) {
        self.path = path
        entries = try Self.parse(bytes: bytes, path: path)
        var index: [String: [Int]] = [:]
        for (position, entry) in entries.enumerated() { index[entry.name, default: []].append(position) }
        self.index = index
    }

    /// The path the loader opens for `name`, as `_dl_load_cache_lookup` picks it: among entries
    /// whose flags equal the loader's cache ID, the `glibc-hwcaps` entry whose subdirectory comes
    /// first in `hwcapsPriority`, else the first plain entry. An entry tagged with legacy hwcap
    /// bits (dropped in glibc 2.37) is taken only when no plain entry exists, since which of
    /// those bits a target CPU has is not knowable here.
    package func lookup(_ name: String, flags: Int32, hwcapsPriority: [String] = []) -> String? {
        guard let positions = index[name] else { return nil }
        var best: (rank: Int, path: String)?
        var legacy: String?
        for position in positions {
            let entry = entries[position]
            guard entry.flags == flags else { continue }
            if let subdirectory = entry.hwcapsSubdirectory {
                if let rank = hwcapsPriority.firstIndex(of: subdirectory), rank < (best?.rank ?? .max) {
                    best = (rank, entry.path)
                }
            } else if entry.hwcap == 0 {
                return best?.path ?? entry.path
            } else if legacy == nil {
                legacy = entry.path
            }
        }
        return best?.path ?? legacy
    }

    private static func parse(bytes: [UInt8], path: String) throws(LoaderCacheError) -> [Entry] {
        let reader = CacheBytes(bytes: bytes, path: path)
        if bytes.starts(with: Self.newMagic) {
            return try Self.parseNew(reader, at: 0)
        } else if bytes.starts(with: Self.oldMagic) {
            let count = Int(try reader.u32(12))
            let entriesEnd = 16 + count * 12
            guard count < bytes.count / 12, entriesEnd <= bytes.count else {
                throw LoaderCacheError(path: path, reason: "\(count) old-format entries do not fit in \(bytes.count) bytes")
            }
            // The new format, when appended, is 8-byte aligned after the old table, and the
            // loader then uses only the new one.
            let newStart = (entriesEnd + 7) & ~7
            if newStart + Self.newMagic.count <= bytes.count,
               Array(bytes[newStart..<newStart + Self.newMagic.count]) == Self.newMagic {
                return try Self.parseNew(reader, at: newStart)
            }
            return try Self.parseOld(reader, count: count, stringBase: entriesEnd)
        } else {
            throw LoaderCacheError(path: path, reason: "unknown format (no ld.so cache magic)")
        }
    }

    private static func parseOld(_ reader: CacheBytes, count: Int, stringBase: Int) throws(LoaderCacheError) -> [Entry] {
        var result: [Entry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let base = 16 + index * 12
            let flags = Int32(bitPattern: try reader.u32(base))
            let name = try reader.string(at: stringBase + Int(try reader.u32(base + 4)))
            let value = try reader.string(at: stringBase + Int(try reader.u32(base + 8)))
            result.append(Entry(name: name, path: value, flags: flags, hwcap: 0, hwcapsSubdirectory: nil))
        }
        return result
    }

    private static func parseNew(_ reader: CacheBytes, at start: Int) throws(LoaderCacheError) -> [Entry] {
        let count = Int(try reader.u32(start + 20))
        // Byte 28: 2 little-endian, 3 big-endian, 0 unknown (older ldconfig). Only native is usable.
        let endianFlag = try reader.u8(start + 28)
        let native: UInt8 = 1.littleEndian == 1 ? 2 : 3
        guard endianFlag == 0 || endianFlag == native else {
            throw LoaderCacheError(path: reader.path, reason: "written for the other byte order")
        }
        guard count <= (reader.bytes.count - start) / 24 else {
            throw LoaderCacheError(path: reader.path, reason: "\(count) entries do not fit in \(reader.bytes.count) bytes")
        }
        let extensionOffset = Int(try reader.u32(start + 32))
        let hwcapsNames = try hwcapsSubdirectories(reader, start: start, extensionOffset: extensionOffset)
        var result: [Entry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let base = start + 48 + index * 24
            let flags = Int32(bitPattern: try reader.u32(base))
            // Offsets in the new format count from the start of its header.
            let name = try reader.string(at: start + Int(try reader.u32(base + 4)))
            let value = try reader.string(at: start + Int(try reader.u32(base + 8)))
            let hwcap = try reader.u64(base + 16)
            var subdirectory: String?
            if hwcap & hwcapExtensionBit != 0 {
                let slot = Int(hwcap & 0xffff_ffff)
                subdirectory = slot < hwcapsNames.count ? hwcapsNames[slot] : nil
            }
            result.append(Entry(name: name, path: value, flags: flags, hwcap: hwcap, hwcapsSubdirectory: subdirectory))
        }
        return result
    }

    /// The `glibc-hwcaps` subdirectory names in the cache's extension section (tag 1).
    private static func hwcapsSubdirectories(_ reader: CacheBytes, start: Int, extensionOffset: Int) throws(LoaderCacheError) -> [String] {
        guard extensionOffset != 0 else { return [] }
        let base = start + extensionOffset
        guard base + 8 <= reader.bytes.count, try reader.u32(base) == 0xeaa4_2174 else { return [] }
        let sectionCount = Int(try reader.u32(base + 4))
        guard sectionCount <= (reader.bytes.count - base) / 16 else {
            throw LoaderCacheError(path: reader.path, reason: "extension directory overruns the file")
        }
        for index in 0..<sectionCount {
            let section = base + 8 + index * 16
            guard try reader.u32(section) == 1 else { continue }
            let offset = start + Int(try reader.u32(section + 8))
            let size = Int(try reader.u32(section + 12))
            guard size % 4 == 0, size <= reader.bytes.count else {
                throw LoaderCacheError(path: reader.path, reason: "glibc-hwcaps section has a bad size \(size)")
            }
            var names: [String] = []
            for slot in 0..<(size / 4) {
                names.append(try reader.string(at: start + Int(try reader.u32(offset + slot * 4))))
            }
            return names
        }
        return []
    }
}

/// Checked native-endian reads out of the cache bytes.
private struct CacheBytes {
    let bytes: [UInt8]
    let path: String

    func u8(_ offset: Int) throws(LoaderCacheError) -> UInt8 {
        try check(offset, 1)
        return bytes[offset]
    }

    func u32(_ offset: Int) throws(LoaderCacheError) -> UInt32 {
        try check(offset, 4)
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    }

    func u64(_ offset: Int) throws(LoaderCacheError) -> UInt64 {
        try check(offset, 8)
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
    }

    func string(at offset: Int) throws(LoaderCacheError) -> String {
        guard offset >= 0, offset < bytes.count else {
            throw LoaderCacheError(path: path, reason: "string offset \(offset) is outside the file")
        }
        guard let end = bytes[offset...].firstIndex(of: 0) else {
            throw LoaderCacheError(path: path, reason: "string at \(offset) is not terminated")
        }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    private func check(_ offset: Int, _ width: Int) throws(LoaderCacheError) {
        guard offset >= 0, offset <= bytes.count - width else {
            throw LoaderCacheError(path: path, reason: "field at byte \(offset) is past the end (\(bytes.count) bytes)")
        }
    }
}
