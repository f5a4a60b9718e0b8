/// An ELF file as read, with the on-disk identity the loader uses to spot duplicates. A class:
/// every walk that loads the library holds it, and one reference is cheaper to pass around
/// than the file's many strings.
final class ParsedELF: Sendable {
    let file: ELFFile
    let id: FileID

    init(file: ELFFile, id: FileID) {
        self.file = file
        self.id = id
    }
}

/// Reads the ELF header, the program headers, `PT_INTERP` and the `PT_DYNAMIC` entries the
/// loader uses. It touches only those structures (a few `pread`s per file), never the sections.
enum ELFParser {
    static let magic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
    /// First read: the ELF header and, in nearly every file, the program headers right after it.
    static let headRead: UInt64 = 4096
    /// No path the loader accepts is longer than this (PATH_MAX); anything longer is hostile.
    static let maximumStringLength = 4096

    private struct Segment {
        let type: UInt32
        let offset: UInt64
        let vaddr: UInt64
        let fileSize: UInt64
    }

    /// The parsed file, or nil when the file does not start with the ELF magic.
    static func parseIfELF(path: String) throws(ELFError) -> ParsedELF? {
        let reader = try BoundedFileReader(path: path)
        guard reader.size >= 4 else { return nil }
        let head = try reader.read(offset: 0, count: Int(min(reader.size, headRead)))
        guard Array(head[0..<4]) == magic else { return nil }
        return try parse(reader: reader, head: head)
    }

    /// Parses a file whose first bytes (`head`, up to 4096) were already read.
    static func parse(reader: BoundedFileReader, head: [UInt8]) throws(ELFError) -> ParsedELF {
        let path = reader.path
        guard head.count >= 16 else {
            throw ELFError(path: path, problem: .truncated(what: "ELF identification", needed: 16, size: reader.size))
        }
        let elfClass: ELFTarget.Class
        switch head[4] {
        case 1: elfClass = .elf32
        case 2: elfClass = .elf64
        default: throw ELFError(path: path, problem: .malformed("unknown ELF class \(head[4])"))
        }
        let endianness: ELFTarget.Endianness
        switch head[5] {
        case 1: endianness = .little
        case 2: endianness = .big
        default: throw ELFError(path: path, problem: .malformed("unknown data encoding \(head[5])"))
        }
        let wide = elfClass == .elf64
        let headerSize = wide ? 64 : 52
        guard head.count >= headerSize else {
            throw ELFError(path: path, problem: .truncated(what: "ELF header", needed: UInt64(headerSize), size: reader.size))
        }
        let header = ByteDecoder(bytes: head, bigEndian: endianness == .big, path: path)
        let type = try header.u16(16)
        let machine = try header.u16(18)
        let phoff = try header.word(wide ? 32 : 28, wide: wide)
        let shoff = try header.word(wide ? 40 : 32, wide: wide)
        let phentsize = Int(try header.u16(wide ? 54 : 42))
        var phnum = UInt64(try header.u16(wide ? 56 : 44))
        let target = ELFTarget(elfClass: elfClass, endianness: endianness, machine: machine)

        if phnum == 0xffff {
            // PN_XNUM: the real count lives in sh_info of section header 0.
            let section0 = try reader.read(offset: shoff, count: wide ? 64 : 40, what: "section header 0")
            phnum = UInt64(try ByteDecoder(bytes: section0, bigEndian: header.bigEndian, path: path).u32(wide ? 44 : 28))
        }
        var segments: [Segment] = []
        if phnum > 0 {
            guard phentsize >= (wide ? 56 : 32) else {
                throw ELFError(path: path, problem: .malformed("program header entry size \(phentsize) is too small"))
            }
            let (tableSize, overflow) = phnum.multipliedReportingOverflow(by: UInt64(phentsize))
            guard !overflow, tableSize <= reader.size else {
                throw ELFError(path: path, problem: .truncated(what: "program header table (\(phnum) entries)",
                                                        needed: overflow ? .max : phoff &+ tableSize, size: reader.size))
            }
            let table = phoff &+ tableSize <= UInt64(head.count) && phoff <= UInt64(head.count)
                ? Array(head[Int(phoff)..<Int(phoff + tableSize)])
                : try reader.read(offset: phoff, count: Int(tableSize), what: "program header table")
            let decoder = ByteDecoder(bytes: table, bigEndian: header.bigEndian, path: path)
            for index in 0..<Int(phnum) {
                let base = index * phentsize
                let type = try decoder.u32(base)
                segments.append(Segment(
                    type: type,
                    offset: try decoder.word(base + (wide ? 8 : 4), wide: wide),
                    vaddr: try decoder.word(base + (wide ? 16 : 8), wide: wide),
                    fileSize: try decoder.word(base + (wide ? 32 : 16), wide: wide)))
            }
        }

        var interpreter: String?
        if let interp = segments.first(where: { $0.type == 3 }) {
            interpreter = try readInterpreter(interp, reader: reader)
        }
        var dynamic = DynamicInfo()
        let dynamicSegment = segments.first(where: { $0.type == 2 })
        if let dynamicSegment {
            dynamic = try readDynamic(dynamicSegment, loads: segments.filter { $0.type == 1 },
                                      reader: reader, bigEndian: header.bigEndian, wide: wide)
        }
        let file = ELFFile(path: path, target: target, osABI: head[7], type: ELFFile.FileType(type),
                           interpreter: interpreter, isDynamic: dynamicSegment != nil,
                           needed: dynamic.needed, soname: dynamic.soname, rpath: dynamic.rpath,
                           runpath: dynamic.runpath, flags1: dynamic.flags1)
        return ParsedELF(file: file, id: reader.id)
    }

    private static func readInterpreter(_ segment: Segment, reader: BoundedFileReader) throws(ELFError) -> String {
        guard segment.fileSize <= UInt64(maximumStringLength) else {
            throw ELFError(path: reader.path, problem: .malformed("PT_INTERP of \(segment.fileSize) bytes is longer than any path"))
        }
        let bytes = try reader.read(offset: segment.offset, count: Int(segment.fileSize), what: "PT_INTERP segment")
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private struct DynamicInfo {
        var needed: [String] = []
        var soname: String?
        var rpath: String?
        var runpath: String?
        var flags1: UInt64 = 0
    }

    private static func readDynamic(_ segment: Segment, loads: [Segment], reader: BoundedFileReader,
                                    bigEndian: Bool, wide: Bool) throws(ELFError) -> DynamicInfo {
        let path = reader.path
        let entrySize = wide ? 16 : 8
        let (end, overflow) = segment.offset.addingReportingOverflow(segment.fileSize)
        guard !overflow, end <= reader.size else {
            throw ELFError(path: path, problem: .truncated(what: "PT_DYNAMIC segment", needed: overflow ? .max : end, size: reader.size))
        }
        let bytes = try reader.read(offset: segment.offset, count: Int(segment.fileSize), what: "PT_DYNAMIC segment")
        let decoder = ByteDecoder(bytes: bytes, bigEndian: bigEndian, path: path)
        var neededOffsets: [UInt64] = []
        var sonameOffset, rpathOffset, runpathOffset, strtab, strsz: UInt64?
        var flags1: UInt64 = 0
        for index in 0..<(bytes.count / entrySize) {
            let base = index * entrySize
            let tag = try decoder.word(base, wide: wide)
            let value = try decoder.word(base + entrySize / 2, wide: wide)
            switch tag {
            case 0: break
            case 1: neededOffsets.append(value)
            case 5: strtab = value
            case 10: strsz = value
            case 14: sonameOffset = value
            case 15: rpathOffset = value
            case 29: runpathOffset = value
            case 0x6fff_fffb: flags1 = value
            default: continue
            }
            if tag == 0 { break }
        }
        var info = DynamicInfo(flags1: flags1)
        let wanted = neededOffsets + [sonameOffset, rpathOffset, runpathOffset].compactMap { $0 }
        if wanted.isEmpty { return info }
        guard let strtab, let strsz else {
            throw ELFError(path: path, problem: .malformed("dynamic section has names but no DT_STRTAB/DT_STRSZ"))
        }
        // DT_STRTAB is an address; the loadable segment holding it says where that is in the file.
        guard let load = loads.first(where: { strtab >= $0.vaddr && strtab - $0.vaddr < $0.fileSize }) else {
            throw ELFError(path: path, problem: .malformed("DT_STRTAB address 0x\(String(strtab, radix: 16)) is in no loadable segment"))
        }
        let fileOffset = load.offset &+ (strtab - load.vaddr)
        guard fileOffset < reader.size else {
            throw ELFError(path: path, problem: .truncated(what: "dynamic string table", needed: fileOffset &+ 1, size: reader.size))
        }
        var strings = StringTableReader(reader: reader, base: fileOffset, size: min(strsz, reader.size - fileOffset))
        for offset in neededOffsets { info.needed.append(try strings.string(at: offset)) }
        if let sonameOffset { info.soname = try strings.string(at: sonameOffset) }
        if let rpathOffset { info.rpath = try strings.string(at: rpathOffset) }
        if let runpathOffset { info.runpath = try strings.string(at: runpathOffset) }
        return info
    }
}

/// Reads NUL-terminated strings of the dynamic string table one page at a time, so a library
/// with a multi-megabyte `.dynstr` costs a page or two, not the whole table.
struct StringTableReader {
    private static let pageSize: UInt64 = 4096
    let reader: BoundedFileReader
    let base: UInt64
    let size: UInt64
    private var pages: [UInt64: [UInt8]] = [:]

    init(reader: BoundedFileReader, base: UInt64, size: UInt64) {
        self.reader = reader
        self.base = base
        self.size = size
    }

    mutating func string(at offset: UInt64) throws(ELFError) -> String {
        guard offset < size else {
            throw ELFError(path: reader.path, problem: .malformed("string offset \(offset) is outside the \(size)-byte DT_STRTAB"))
        }
        var collected: [UInt8] = []
        var position = base + offset
        let end = base + size
        while position < end {
            let pageIndex = position / Self.pageSize
            let page = try self.page(pageIndex)
            let pageStart = pageIndex * Self.pageSize
            let from = Int(position - pageStart)
            let to = min(page.count, Int(min(end - pageStart, Self.pageSize)))
            guard from < to else { break }
            if let nul = page[from..<to].firstIndex(of: 0) {
                collected.append(contentsOf: page[from..<nul])
                return String(decoding: collected, as: UTF8.self)
            }
            collected.append(contentsOf: page[from..<to])
            guard collected.count <= ELFParser.maximumStringLength else { break }
            position = pageStart + UInt64(to)
        }
        throw ELFError(path: reader.path, problem: .malformed("string at offset \(offset) of DT_STRTAB is not terminated"))
    }

    private mutating func page(_ index: UInt64) throws(ELFError) -> [UInt8] {
        if let cached = pages[index] { return cached }
        let start = index * Self.pageSize
        let bytes = try reader.read(offset: start, count: Int(min(Self.pageSize, reader.size - start)), what: "dynamic string table")
        pages[index] = bytes
        return bytes
    }
}
