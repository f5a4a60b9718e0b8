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
        let layout = try RPMFileLayout(reading: handle, path: path)
        let tags = try RPMHeaderReader.decode(try layout.mainHeader(handle, path: path), lenient: true)
        let sigTags = try RPMHeaderReader.decode(layout.signatureHeader, lenient: true)
        let start = Int(layout.headerOffset)

        var package = RPMPackageDescription()
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
        package.archiveSize = sigTags.integers(RPMSignatureTag.longArchiveSize).first ?? sigTags.integers(RPMSignatureTag.payloadSize).first
            ?? tags.integers(RPMTag.archiveSize).first ?? 0
        package.headerStart = start
        package.headerEnd = start + layout.headerSize
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

}

/// Typed reading for indexes: a missing or mistyped tag reads as empty.
private extension RPMHeader {
    /// A string, a string array, or an i18n string's first (the "C" locale's) text.
    func strings(_ tag: UInt32) -> [String] {
        switch self[tag] {
        case .string(let text), .i18nString(let text): [text]
        case .stringArray(let texts): texts
        default: []
        }
    }

    func string(_ tag: UInt32) -> String { strings(tag).first ?? "" }

    func integers(_ tag: UInt32) -> [UInt64] {
        switch self[tag] {
        case .int16(let values): values.map(UInt64.init)
        case .int32(let values): values.map(UInt64.init)
        case .int64(let values): values
        default: []
        }
    }
}
