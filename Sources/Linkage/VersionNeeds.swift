/// The symbol versions one ELF file needs from each library (`.gnu.version_r`, `SHT_GNU_verneed`),
/// with the names the rpm and Debian dependency generators start from: `DT_NEEDED`, whether the
/// file hashes only with `DT_GNU_HASH`, and the sonames the file provides.
package struct VersionNeeds: Sendable, Equatable {
    /// One `Elf_Verneed` entry: a needed file and the version names needed from it, in file order.
    package struct Need: Sendable, Equatable {
        package let file: String
        package let versions: [String]
    }

    package let path: String
    package let target: ELFTarget
    /// `ET_EXEC` or `ET_DYN`: the only types dependency generators look at.
    package let isLoadable: Bool
    package let needed: [String]
    package let soname: String?
    package let needs: [Need]
    /// `DT_GNU_HASH` without `DT_HASH`: only a loader that knows GNU hash can load it.
    package let gnuHashOnly: Bool

    /// Every version name needed from `file`.
    package func versions(from file: String) -> [String] {
        needs.filter { $0.file == file }.flatMap(\.versions)
    }
}

extension VersionNeeds {
    /// Reads the section headers, `SHT_DYNAMIC` and `SHT_GNU_verneed` of the file at `path` with
    /// bounded reads; nil when the file is not ELF. A truncated or hostile table throws an
    /// `ELFError` naming the file and the structure, never a crash or an endless walk.
    package static func read(path: String) throws(ELFError) -> VersionNeeds? {
        guard let parsed = try ELFParser.parseIfELF(path: path) else { return nil }
        let reader = try BoundedFileReader(path: path)
        return try VersionNeedsReader(reader: reader, file: parsed.file).read()
    }
}

/// Walks the section header table: the loader does not need sections, but `.gnu.version_r` is
/// where `readelf -V`, rpm's `elfdeps` and `dpkg-shlibdeps` (through objdump) read versions.
struct VersionNeedsReader {
    static let sectionDynamic: UInt32 = 6
    static let sectionVerneed: UInt32 = 0x6fff_fffe
    /// Bigger than any real `.gnu.version_r` or `.dynamic` (a few KiB); bounds what one file costs.
    static let maximumSectionSize: UInt64 = 16 << 20
    static let maximumSections: UInt64 = 1 << 16

    let reader: BoundedFileReader
    let file: ELFFile

    private struct Section {
        let type: UInt32
        let offset: UInt64
        let size: UInt64
        let link: UInt32
        let info: UInt32
        let entrySize: UInt64
    }

    private var wide: Bool { file.target.elfClass == .elf64 }
    private var bigEndian: Bool { file.target.endianness == .big }

    func read() throws(ELFError) -> VersionNeeds {
        let sections = try sectionTable()
        var needed: [String] = []
        var soname: String?
        var hasHash = false, hasGNUHash = false
        var needs: [VersionNeeds.Need] = []
        for section in sections where section.type == Self.sectionDynamic {
            var strings = try stringTable(of: section, in: sections, for: "SHT_DYNAMIC")
            let entrySize = wide ? 16 : 8
            let bytes = try contents(of: section, what: "SHT_DYNAMIC section")
            let decoder = ByteDecoder(bytes: bytes, bigEndian: bigEndian, path: reader.path)
            for index in 0..<(bytes.count / entrySize) {
                let tag = try decoder.word(index * entrySize, wide: wide)
                let value = try decoder.word(index * entrySize + entrySize / 2, wide: wide)
                switch tag {
                case 0: break
                case 1: needed.append(try strings.string(at: value))
                case 4: hasHash = true
                case 14: soname = try strings.string(at: value)
                case 0x6fff_fef5: hasGNUHash = true
                default: continue
                }
                if tag == 0 { break }
            }
        }
        for section in sections where section.type == Self.sectionVerneed {
            needs += try verneed(section, in: sections)
        }
        let loadable = file.type == .executable || file.type == .sharedObject
        return VersionNeeds(path: reader.path, target: file.target, isLoadable: loadable, needed: needed,
                            soname: soname, needs: needs, gnuHashOnly: hasGNUHash && !hasHash)
    }

    private func sectionTable() throws(ELFError) -> [Section] {
        let header = try reader.read(offset: 0, count: wide ? 64 : 52, what: "ELF header")
        let decoder = ByteDecoder(bytes: header, bigEndian: bigEndian, path: reader.path)
        let shoff = try decoder.word(wide ? 40 : 32, wide: wide)
        let entrySize = UInt64(try decoder.u16(wide ? 58 : 46))
        var count = UInt64(try decoder.u16(wide ? 60 : 48))
        if shoff == 0 { return [] }
        guard entrySize >= (wide ? 64 : 40) else {
            throw ELFError(path: reader.path, problem: .malformed("section header entry size \(entrySize) is too small"))
        }
        if count == 0 {
            // SHN_UNDEF: more sections than e_shnum holds; the count is sh_size of section 0.
            let first = try reader.read(offset: shoff, count: Int(entrySize), what: "section header 0")
            count = try ByteDecoder(bytes: first, bigEndian: bigEndian, path: reader.path).word(wide ? 32 : 20, wide: wide)
        }
        guard count <= Self.maximumSections else {
            throw ELFError(path: reader.path, problem: .malformed("\(count) section headers, more than the \(Self.maximumSections) the check reads"))
        }
        let table = try reader.read(offset: shoff, count: Int(count * entrySize), what: "section header table (\(count) entries)")
        let headers = ByteDecoder(bytes: table, bigEndian: bigEndian, path: reader.path)
        var sections: [Section] = []
        for index in 0..<Int(count) {
            let base = index * Int(entrySize)
            sections.append(Section(
                type: try headers.u32(base + 4),
                offset: try headers.word(base + (wide ? 24 : 16), wide: wide),
                size: try headers.word(base + (wide ? 32 : 20), wide: wide),
                link: try headers.u32(base + (wide ? 40 : 24)),
                info: try headers.u32(base + (wide ? 44 : 28)),
                entrySize: try headers.word(base + (wide ? 56 : 36), wide: wide)))
        }
        return sections
    }

    private func contents(of section: Section, what: String) throws(ELFError) -> [UInt8] {
        guard section.size <= Self.maximumSectionSize else {
            throw ELFError(path: reader.path, problem: .malformed("\(what) of \(section.size) bytes is larger than any real one"))
        }
        return try reader.read(offset: section.offset, count: Int(section.size), what: what)
    }

    private func stringTable(of section: Section, in sections: [Section], for owner: String) throws(ELFError) -> StringTableReader {
        guard Int(section.link) < sections.count, section.link != 0 else {
            throw ELFError(path: reader.path, problem: .malformed("\(owner) section links to string table \(section.link), which does not exist"))
        }
        let strings = sections[Int(section.link)]
        let (end, overflow) = strings.offset.addingReportingOverflow(strings.size)
        guard !overflow, end <= reader.size else {
            throw ELFError(path: reader.path, problem: .truncated(what: "string table of the \(owner) section",
                                                                  needed: overflow ? .max : end, size: reader.size))
        }
        return StringTableReader(reader: reader, base: strings.offset, size: strings.size)
    }

    /// `Elf_Verneed` (16 bytes) and `Elf_Vernaux` (16 bytes) have the same layout in both
    /// classes. `sh_info` counts the entries; every link must stay inside the section and a walk
    /// visits each 16-byte slot at most once, so a loop in `vn_next`/`vna_next` ends.
    private func verneed(_ section: Section, in sections: [Section]) throws(ELFError) -> [VersionNeeds.Need] {
        var strings = try stringTable(of: section, in: sections, for: "SHT_GNU_verneed")
        let bytes = try contents(of: section, what: "SHT_GNU_verneed section")
        let decoder = ByteDecoder(bytes: bytes, bigEndian: bigEndian, path: reader.path)
        let slots = bytes.count / 16
        guard Int(section.info) <= slots else {
            throw ELFError(path: reader.path, problem: .malformed(
                "SHT_GNU_verneed promises \(section.info) entries but its \(bytes.count) bytes hold at most \(slots)"))
        }
        func located(_ offset: Int, _ what: String) throws(ELFError) {
            guard offset >= 0, offset + 16 <= bytes.count else {
                throw ELFError(path: reader.path, problem: .malformed(
                    "SHT_GNU_verneed \(what) at byte \(offset) lies outside the \(bytes.count)-byte section"))
            }
        }
        var needs: [VersionNeeds.Need] = []
        var offset = 0
        var steps = 0
        for entry in 0..<Int(section.info) {
            try located(offset, "entry \(entry)")
            let count = Int(try decoder.u16(offset + 2))
            let name = try strings.string(at: UInt64(try decoder.u32(offset + 4)))
            var auxiliary = offset + Int(try decoder.u32(offset + 8))
            var versions: [String] = []
            for index in 0..<count {
                steps += 1
                guard steps <= slots else {
                    throw ELFError(path: reader.path, problem: .malformed("SHT_GNU_verneed links loop or overlap (entry \(entry), version \(index))"))
                }
                try located(auxiliary, "version \(index) of entry \(entry)")
                versions.append(try strings.string(at: UInt64(try decoder.u32(auxiliary + 8))))
                auxiliary += Int(try decoder.u32(auxiliary + 12))
            }
            needs.append(.init(file: name, versions: versions))
            let next = Int(try decoder.u32(offset + 12))
            if next == 0 { break }
            offset += next
        }
        return needs
    }
}
