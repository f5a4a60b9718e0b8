import Foundation

/// What a repository index needs to know of an `.rpm`: the main header's fields and where that
/// header lies in the file. Values are as rpm stores them (flags are RPMSENSE_* bits).
package struct RPMPackageDescription: Sendable, Equatable {
    package struct Relation: Sendable, Equatable {
        package var name: String
        package var flags: UInt32
        /// `[epoch:]version[-release]`, empty when unversioned.
        package var version: String

        /// The comparison as repository metadata spells it (`EQ`, `LT`, `LE`, `GT`, `GE`); nil
        /// when unversioned.
        package var comparison: String? {
            switch flags & (RPMFlags.less | RPMFlags.greater | RPMFlags.equal) {
            case RPMFlags.equal: "EQ"
            case RPMFlags.less: "LT"
            case RPMFlags.less | RPMFlags.equal: "LE"
            case RPMFlags.greater: "GT"
            case RPMFlags.greater | RPMFlags.equal: "GE"
            default: nil
            }
        }

        /// rpm's own dependencies on features of rpm itself (`rpmlib(...)`), which no package provides.
        package var isRPMLibFeature: Bool { name.hasPrefix("rpmlib(") }

        /// Needed before or while a scriptlet runs (`Requires(pre)` and kin), which dnf orders first.
        package var isPrerequisite: Bool {
            flags & (RPMFlags.prereq | RPMFlags.scriptPre | RPMFlags.scriptPost | RPMFlags.scriptPreUn | RPMFlags.scriptPostUn) != 0
        }
    }

    package struct File: Sendable, Equatable {
        package var path: String
        package var isDirectory: Bool
        package var isGhost: Bool
    }

    package struct ChangelogEntry: Sendable, Equatable {
        package var author: String
        package var date: UInt32
        package var text: String
    }

    package var name = ""
    package var epoch: UInt32 = 0
    package var version = ""
    package var release = ""
    package var arch = ""
    package var summary = ""
    package var description = ""
    package var packager = ""
    package var url = ""
    package var license = ""
    package var vendor = ""
    package var group = ""
    package var buildHost = ""
    package var sourceRPM = ""
    package var buildTime: UInt64 = 0
    package var installedSize: UInt64 = 0
    package var archiveSize: UInt64 = 0
    /// Byte offsets of the main header (its magic to its last data byte), which dnf reads
    /// with a range request instead of downloading the package.
    package var headerStart = 0
    package var headerEnd = 0
    package var provides: [Relation] = []
    package var requires: [Relation] = []
    package var conflicts: [Relation] = []
    package var obsoletes: [Relation] = []
    package var recommends: [Relation] = []
    package var suggests: [Relation] = []
    package var supplements: [Relation] = []
    package var enhances: [Relation] = []
    package var files: [File] = []
    package var changelog: [ChangelogEntry] = []
}

/// Reads the lead, signature header and main header of an rpm (format v4, `docs/manual/format_v4.md`
/// in rpm's sources); the payload is never read.
package enum RPMPackageReader {
    package static func read(path: String) throws(PackagingError) -> RPMPackageDescription {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "cannot open the file")
        }
        defer { try? handle.close() }
        func bytes(_ count: Int) throws(PackagingError) -> [UInt8] {
            if count == 0 { return [] }
            let data = (try? handle.read(upToCount: count)) ?? nil
            guard let data, data.count == count else { throw .unreadable(path: path, reason: "not an rpm: the file ends inside its headers") }
            return [UInt8](data)
        }
        let lead = try bytes(96)
        guard lead.prefix(4) == [0xed, 0xab, 0xee, 0xdb] else { throw .unreadable(path: path, reason: "not an rpm (no rpm lead)") }
        let signature = try header(at: 96, bytes: bytes, path: path)
        // The signature header is padded to 8 bytes; the main header follows.
        let padding = (8 - signature.length % 8) % 8
        _ = try bytes(padding)
        let start = 96 + signature.length + padding
        let main = try header(at: start, bytes: bytes, path: path)

        var package = RPMPackageDescription()
        let tags = main.entries
        package.name = tags.string(RPMTag.name)
        package.epoch = tags.integers(RPMTag.epoch).first.map(UInt32.init) ?? 0
        package.version = tags.string(RPMTag.version)
        package.release = tags.string(RPMTag.release)
        package.arch = tags.string(RPMTag.arch)
        package.summary = tags.string(RPMTag.summary)
        package.description = tags.string(RPMTag.description)
        package.packager = tags.string(RPMTag.packager)
        package.url = tags.string(RPMTag.url)
        package.license = tags.string(RPMTag.license)
        package.vendor = tags.string(RPMTag.vendor)
        package.group = tags.string(RPMTag.group)
        package.buildHost = tags.string(RPMTag.buildHost)
        package.sourceRPM = tags.string(RPMTag.sourceRPM)
        package.buildTime = tags.integers(RPMTag.buildTime).first ?? 0
        package.installedSize = tags.integers(RPMTag.longSize).first ?? tags.integers(RPMTag.size).first ?? 0
        let sigTags = signature.entries
        package.archiveSize = sigTags.integers(RPMSignatureTag.longArchiveSize).first ?? sigTags.integers(RPMSignatureTag.payloadSize).first
            ?? tags.integers(RPMTag.archiveSize).first ?? 0
        package.headerStart = start
        package.headerEnd = start + main.length
        func relations(_ names: UInt32, _ flags: UInt32, _ versions: UInt32) -> [RPMPackageDescription.Relation] {
            let names = tags.strings(names), flags = tags.integers(flags), versions = tags.strings(versions)
            return names.indices.map { index in
                RPMPackageDescription.Relation(name: names[index], flags: index < flags.count ? UInt32(truncatingIfNeeded: flags[index]) : 0,
                                               version: index < versions.count ? versions[index] : "")
            }
        }
        package.provides = relations(RPMTag.provideName, RPMTag.provideFlags, RPMTag.provideVersion)
        package.requires = relations(RPMTag.requireName, RPMTag.requireFlags, RPMTag.requireVersion)
        package.conflicts = relations(RPMTag.conflictName, RPMTag.conflictFlags, RPMTag.conflictVersion)
        package.obsoletes = relations(RPMTag.obsoleteName, RPMTag.obsoleteFlags, RPMTag.obsoleteVersion)
        package.recommends = relations(RPMTag.recommendName, RPMTag.recommendFlags, RPMTag.recommendVersion)
        package.suggests = relations(RPMTag.suggestName, RPMTag.suggestFlags, RPMTag.suggestVersion)
        package.supplements = relations(RPMTag.supplementName, RPMTag.supplementFlags, RPMTag.supplementVersion)
        package.enhances = relations(RPMTag.enhanceName, RPMTag.enhanceFlags, RPMTag.enhanceVersion)

        let directories = tags.strings(RPMTag.dirNames), indexes = tags.integers(RPMTag.dirIndexes)
        let baseNames = tags.strings(RPMTag.baseNames), modes = tags.integers(RPMTag.fileModes)
        let fileFlags = tags.integers(RPMTag.fileFlags)
        for (index, baseName) in baseNames.enumerated() {
            guard index < indexes.count, Int(indexes[index]) < directories.count else {
                throw .unreadable(path: path, reason: "the rpm's file list is inconsistent (a directory index out of range)")
            }
            let mode = index < modes.count ? modes[index] : 0
            let flags = index < fileFlags.count ? UInt32(truncatingIfNeeded: fileFlags[index]) : 0
            package.files.append(.init(path: directories[Int(indexes[index])] + baseName, isDirectory: mode & 0o170000 == 0o040000,
                                       isGhost: flags & RPMFlags.fileGhost != 0))
        }
        let times = tags.integers(RPMTag.changelogTime), authors = tags.strings(RPMTag.changelogName)
        let texts = tags.strings(RPMTag.changelogText)
        for index in authors.indices where index < times.count && index < texts.count {
            package.changelog.append(.init(author: authors[index], date: UInt32(truncatingIfNeeded: times[index]), text: texts[index]))
        }
        return package
    }

    /// One header structure: magic, entry count, data size, index, data. `length` counts all of it.
    private struct Header {
        var entries: Entries
        var length: Int
    }

    private static func header(at offset: Int, bytes: (Int) throws(PackagingError) -> [UInt8],
                               path: String) throws(PackagingError) -> Header {
        let intro = try bytes(16)
        guard intro.prefix(3) == [0x8e, 0xad, 0xe8] else {
            throw .unreadable(path: path, reason: "not an rpm: no header magic at byte \(offset)")
        }
        let count = Int(intro.bigEndian(at: 8)), dataSize = Int(intro.bigEndian(at: 12))
        // rpm's own limits (hdrchkTags, hdrchkData): a damaged file must not allocate gigabytes.
        guard count <= 0xffff, dataSize <= 256 << 20 else {
            throw .unreadable(path: path, reason: "the rpm header at byte \(offset) is damaged (\(count) entries, \(dataSize) bytes)")
        }
        let index = try bytes(count * 16)
        let data = try bytes(dataSize)
        var entries = Entries(data: data)
        for entry in 0..<count {
            let base = entry * 16
            let tag = index.bigEndian(at: base), type = index.bigEndian(at: base + 4)
            let start = Int(index.bigEndian(at: base + 8)), items = Int(index.bigEndian(at: base + 12))
            guard start <= data.count else { throw .unreadable(path: path, reason: "rpm header entry \(tag) points outside the header") }
            entries.index[tag] = (type, start, items)
        }
        return Header(entries: entries, length: 16 + count * 16 + dataSize)
    }

    /// Typed access to a header's entries; a missing or mistyped tag reads as empty.
    private struct Entries {
        let data: [UInt8]
        var index: [UInt32: (type: UInt32, offset: Int, count: Int)] = [:]

        init(data: [UInt8]) { self.data = data }

        func strings(_ tag: UInt32) -> [String] {
            guard let entry = index[tag], [6, 8, 9].contains(entry.type) else { return [] }
            var strings: [String] = []
            var position = entry.offset
            let wanted = entry.type == 8 ? entry.count : 1
            while strings.count < wanted, position < data.count {
                let end = data[position...].firstIndex(of: 0) ?? data.count
                strings.append(String(decoding: data[position..<end], as: UTF8.self))
                position = end + 1
            }
            return strings
        }

        /// The first string (for i18n strings: the "C" locale's, which is listed first).
        func string(_ tag: UInt32) -> String { strings(tag).first ?? "" }

        func integers(_ tag: UInt32) -> [UInt64] {
            guard let entry = index[tag] else { return [] }
            let width: Int
            switch entry.type {
            case 3: width = 2
            case 4: width = 4
            case 5: width = 8
            default: return []
            }
            guard entry.offset + entry.count * width <= data.count else { return [] }
            return (0..<entry.count).map { item in
                let start = entry.offset + item * width
                return data[start..<start + width].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
        }
    }
}

private extension Array where Element == UInt8 {
    func bigEndian(at offset: Int) -> UInt32 {
        self[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
