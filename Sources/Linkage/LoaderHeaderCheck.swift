/// The checks glibc's `open_verify` makes on a candidate library's ELF header, in its order.
/// Only a different class or machine makes the loader go on searching; every other mismatch
/// stops it with an error (and the program does not start).
enum LoaderHeaderCheck {
    enum Verdict: Equatable {
        case accept
        case skip
        case refuse(String)
    }

    static func verdict(_ header: [UInt8], target: ELFTarget) -> Verdict {
        let wide = target.elfClass == .elf64
        guard header.count >= (wide ? 64 : 52) else { return .refuse("file too short") }
        guard header.starts(with: ELFParser.magic) else { return .refuse("invalid ELF header") }
        guard header[4] == (wide ? 2 : 1) else { return .skip }
        let bigEndian = target.endianness == .big
        guard header[5] == (bigEndian ? 2 : 1) else {
            return .refuse("ELF file data encoding not \(bigEndian ? "big" : "little")-endian")
        }
        guard header[6] == 1 else { return .refuse("ELF file version ident does not match current one") }
        guard header[7] == 0 || header[7] == 3 else { return .refuse("ELF file OS ABI invalid") }
        let decoder = ByteDecoder(bytes: header, bigEndian: bigEndian, path: "")
        guard let version = try? decoder.u32(20), let machine = try? decoder.u16(18),
              let type = try? decoder.u16(16), let phentsize = try? decoder.u16(wide ? 54 : 42) else {
            return .refuse("file too short")
        }
        guard version == 1 else { return .refuse("ELF file version does not match current one") }
        guard machine == target.machine else { return .skip }
        guard type == 2 || type == 3 else { return .refuse("only ET_DYN and ET_EXEC can be loaded") }
        guard phentsize == (wide ? 56 : 32) else { return .refuse("ELF file's phentsize not the expected size") }
        return .accept
    }
}
