/// What splitting debug info needs to know of an ELF file, read from its section headers with
/// bounded reads (never by running it or a tool on it): its type, its section names and its GNU
/// build ID.
package struct ELFSections: Sendable, Equatable {
    package let type: ELFFile.FileType
    /// Section names in header order (`.text`, `.debug_info`, `.gnu_debuglink`, ...).
    package let names: [String]
    /// The `NT_GNU_BUILD_ID` note's descriptor, nil when the file has none.
    package let buildID: [UInt8]?

    /// Most sections a file may declare; a hostile count beyond this is an error, not a read loop.
    static let maximumSections = 65_536
    /// The largest section-name table or note section read.
    static let maximumTable = 1 << 24

    package var hasDebugInfo: Bool { names.contains(".debug_info") }
    package var hasDebugLink: Bool { names.contains(".gnu_debuglink") }

    /// Lowercase hex of the build ID (`ab12...`).
    package var buildIDHex: String? {
        buildID.map { bytes in bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined() }
    }

    /// Reads `path`; nil when it does not start with the ELF magic.
    package static func read(path: String) throws(ELFError) -> ELFSections? {
        let reader = try BoundedFileReader(path: path)
        guard reader.size >= 64, try reader.read(offset: 0, count: 4) == ELFParser.magic else { return nil }
        let ident = try reader.read(offset: 0, count: 64)
        let wide: Bool
        switch ident[4] {
        case 1: wide = false
        case 2: wide = true
        default: throw ELFError(path: path, problem: .malformed("unknown ELF class \(ident[4])"))
        }
        let bigEndian = ident[5] == 2
        let header = ByteDecoder(bytes: ident, bigEndian: bigEndian, path: path)
        let type = ELFFile.FileType(try header.u16(16))
        let shoff = try header.word(wide ? 40 : 32, wide: wide)
        let shentsize = Int(try header.u16(wide ? 58 : 46))
        var shnum = UInt64(try header.u16(wide ? 60 : 48))
        var shstrndx = UInt64(try header.u16(wide ? 62 : 50))
        guard shoff != 0 else { return ELFSections(type: type, names: [], buildID: nil) }
        guard shentsize >= (wide ? 64 : 40) else {
            throw ELFError(path: path, problem: .malformed("section header entry size \(shentsize) is too small"))
        }
        if shnum == 0 || shstrndx == 0xffff {
            // SHN_XINDEX / more than 0xff00 sections: the real values live in section header 0.
            let first = ByteDecoder(bytes: try reader.read(offset: shoff, count: shentsize, what: "section header 0"),
                                    bigEndian: bigEndian, path: path)
            if shnum == 0 { shnum = try first.word(wide ? 32 : 20, wide: wide) }
            if shstrndx == 0xffff { shstrndx = UInt64(try first.u32(wide ? 40 : 24)) }
        }
        guard shnum <= UInt64(maximumSections) else {
            throw ELFError(path: path, problem: .malformed("\(shnum) sections is more than \(maximumSections)"))
        }
        let table = ByteDecoder(bytes: try reader.read(offset: shoff, count: Int(shnum) * shentsize, what: "section header table"),
                                bigEndian: bigEndian, path: path)
        struct Section { let name: UInt32; let type: UInt32; let offset: UInt64; let size: UInt64 }
        var sections: [Section] = []
        for index in 0..<Int(shnum) {
            let base = index * shentsize
            sections.append(Section(name: try table.u32(base), type: try table.u32(base + 4),
                                    offset: try table.word(base + (wide ? 24 : 16), wide: wide),
                                    size: try table.word(base + (wide ? 32 : 20), wide: wide)))
        }
        func contents(_ section: Section, _ what: String) throws(ELFError) -> [UInt8] {
            guard section.size <= UInt64(maximumTable) else {
                throw ELFError(path: path, problem: .malformed("\(what) of \(section.size) bytes is larger than \(maximumTable)"))
            }
            return try reader.read(offset: section.offset, count: Int(section.size), what: what)
        }
        var names: [String] = []
        if shstrndx < shnum {
            let strings = try contents(sections[Int(shstrndx)], "section name table")
            for section in sections {
                let start = Int(section.name)
                guard start < strings.count else { names.append(""); continue }
                let end = strings[start...].firstIndex(of: 0) ?? strings.count
                names.append(String(decoding: strings[start..<end], as: UTF8.self))
            }
        }
        var buildID: [UInt8]?
        // SHT_NOTE sections (a NOBITS copy in a debug file has no bytes to read).
        for section in sections where section.type == 7 && buildID == nil {
            buildID = try gnuBuildID(in: try contents(section, "note section"), bigEndian: bigEndian, path: path)
        }
        return ELFSections(type: type, names: names, buildID: buildID)
    }

    /// Walks one note section's entries (name size, descriptor size, type, then both padded to 4).
    static func gnuBuildID(in notes: [UInt8], bigEndian: Bool, path: String) throws(ELFError) -> [UInt8]? {
        let decoder = ByteDecoder(bytes: notes, bigEndian: bigEndian, path: path)
        var offset = 0
        while offset + 12 <= notes.count {
            let nameSize = Int(try decoder.u32(offset))
            let descSize = Int(try decoder.u32(offset + 4))
            let type = try decoder.u32(offset + 8)
            let nameStart = offset + 12
            let descStart = nameStart + (nameSize + 3) / 4 * 4
            let next = descStart + (descSize + 3) / 4 * 4
            guard nameSize <= notes.count, descSize <= notes.count, next <= notes.count else {
                throw ELFError(path: path, problem: .malformed("a note runs past the end of its section"))
            }
            // NT_GNU_BUILD_ID from "GNU\0".
            if type == 3, nameSize == 4, Array(notes[nameStart..<nameStart + 4]) == [0x47, 0x4e, 0x55, 0] {
                return Array(notes[descStart..<descStart + descSize])
            }
            offset = next
        }
        return nil
    }
}
