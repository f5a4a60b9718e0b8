/// Fixed-width integers out of a byte buffer in the file's byte order. Reads past the end throw,
/// so a bug or a lying header can never read outside the buffer.
struct ByteDecoder {
    let bytes: [UInt8]
    let bigEndian: Bool
    let path: String

    func u8(_ offset: Int) throws(ELFError) -> UInt8 {
        try check(offset, 1)
        return bytes[offset]
    }

    func u16(_ offset: Int) throws(ELFError) -> UInt16 {
        try check(offset, 2)
        let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
        return bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
    }

    func u32(_ offset: Int) throws(ELFError) -> UInt32 {
        try check(offset, 4)
        let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }

    func u64(_ offset: Int) throws(ELFError) -> UInt64 {
        try check(offset, 8)
        let raw = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
    }

    /// A word of the file's class: 4 bytes in ELF32, 8 in ELF64.
    func word(_ offset: Int, wide: Bool) throws(ELFError) -> UInt64 {
        wide ? try u64(offset) : UInt64(try u32(offset))
    }

    private func check(_ offset: Int, _ width: Int) throws(ELFError) {
        guard offset >= 0, offset <= bytes.count - width else {
            throw ELFError(path: path, problem: .malformed("field at byte \(offset) lies outside its \(bytes.count)-byte structure"))
        }
    }
}
