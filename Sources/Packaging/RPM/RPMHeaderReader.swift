import Foundation

/// The parts of an rpm file, as offsets into it: the 96-byte lead, the signature header padded to
/// 8 bytes, the header; the payload runs from the header's end to the end of the file.
struct RPMFileLayout {
    let signatureHeader: [UInt8]
    /// Where the header (and so the header+payload range rpm signs) starts.
    let headerOffset: UInt64
    let headerSize: Int

    static let leadSize = 96

    init(reading file: FileHandle, path: String) throws(PackagingError) {
        let lead = try FileRange.read(file, at: 0, count: Self.leadSize + 16, path: path)
        guard lead.starts(with: [0xed, 0xab, 0xee, 0xdb]) else { throw .unreadable(path: path, reason: "not an rpm file") }
        let signatureSize = try Self.headerSize(Array(lead[Self.leadSize...]), path: path)
        signatureHeader = try FileRange.read(file, at: UInt64(Self.leadSize), count: signatureSize, path: path)
        headerOffset = UInt64(Self.leadSize + (signatureSize + 7) / 8 * 8)
        headerSize = try Self.headerSize(try FileRange.read(file, at: headerOffset, count: 16, path: path), path: path)
    }

    /// The main header's bytes, magic to last data byte.
    func mainHeader(_ file: FileHandle, path: String) throws(PackagingError) -> [UInt8] {
        try FileRange.read(file, at: headerOffset, count: headerSize, path: path)
    }

    /// Magic, reserved, index count, data size: the whole structure's size.
    private static func headerSize(_ prelude: [UInt8], path: String) throws(PackagingError) -> Int {
        guard prelude.count >= 16, prelude.starts(with: RPMHeader.magic.prefix(3)) else {
            throw .unreadable(path: path, reason: "no rpm header structure where one belongs")
        }
        let indexCount = Int(RPMHeaderReader.uint32(prelude, 8))
        let dataSize = Int(RPMHeaderReader.uint32(prelude, 12))
        // rpm's own limits (hdrchkTags, hdrchkData): a damaged file must not allocate gigabytes.
        guard indexCount <= 0xffff, dataSize <= 256 << 20 else {
            throw .unreadable(path: path, reason: "the rpm header is damaged (\(indexCount) entries, \(dataSize) bytes)")
        }
        return 16 + indexCount * 16 + dataSize
    }
}

/// Reads a header structure back into values: a signature header this package wrote, to extend
/// it without rebuilding what it holds, and any rpm's headers, for repository indexes.
enum RPMHeaderReader {
    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The header's values, the region tags (61 to 63) left out (`encoded` writes one again).
    /// `lenient`: a value of a type this writer never uses (char, int8) is skipped rather than
    /// refused, as reading other tools' rpms needs; re-encoding such a header would lose it.
    static func decode(_ bytes: [UInt8], lenient: Bool = false) throws(PackagingError) -> RPMHeader {
        func bad(_ reason: String) -> PackagingError { .invalidInfo(["the rpm signature header cannot be read: \(reason)"]) }
        let indexCount = Int(uint32(bytes, 8))
        let dataStart = 16 + indexCount * 16
        let data = Array(bytes[dataStart...])
        var header = RPMHeader()
        for entry in 0..<indexCount {
            let base = 16 + entry * 16
            let tag = uint32(bytes, base)
            let type = uint32(bytes, base + 4)
            let offset = Int(uint32(bytes, base + 8))
            let count = Int(uint32(bytes, base + 12))
            if (61...63).contains(tag) { continue }
            guard offset <= data.count else { throw bad("tag \(tag) points outside the data") }
            func integers(width: Int) throws(PackagingError) -> [UInt64] {
                guard offset + count * width <= data.count else { throw bad("tag \(tag) runs past the data") }
                return (0..<count).map { index in
                    data[offset + index * width..<offset + (index + 1) * width].reduce(0) { $0 << 8 | UInt64($1) }
                }
            }
            func strings(_ number: Int) throws(PackagingError) -> [String] {
                var result: [String] = []
                var cursor = offset
                for _ in 0..<number {
                    guard let end = data[cursor...].firstIndex(of: 0) else { throw bad("tag \(tag) has an unterminated string") }
                    result.append(String(decoding: data[cursor..<end], as: UTF8.self))
                    cursor = end + 1
                }
                return result
            }
            switch type {
            case 3: header[tag] = .int16(try integers(width: 2).map { UInt16($0) })
            case 4: header[tag] = .int32(try integers(width: 4).map { UInt32($0) })
            case 5: header[tag] = .int64(try integers(width: 8))
            case 6: header[tag] = .string(try strings(1)[0])
            case 7:
                guard offset + count <= data.count else { throw bad("tag \(tag) runs past the data") }
                header[tag] = .binary(Array(data[offset..<offset + count]))
            case 8: header[tag] = .stringArray(try strings(count))
            case 9: header[tag] = .i18nString(try strings(1)[0])
            default:
                if lenient { continue }
                throw bad("tag \(tag) has type \(type), which this writer never uses")
            }
        }
        return header
    }
}
