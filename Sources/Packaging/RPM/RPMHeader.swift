/// An rpm v4 header structure (used for both the signature and the main header): a magic, an
/// index of 16-byte entries sorted by tag, and a data store. The first index entry is the region
/// tag whose trailer closes the data, which rpm requires of every package header ("immutable
/// region"); data is laid out in index order, each value aligned to its type's size.
struct RPMHeader {
    enum Value {
        case int16([UInt16])
        case int32([UInt32])
        case int64([UInt64])
        case string(String)
        case binary([UInt8])
        case stringArray([String])
        case i18nString(String)

        var type: UInt32 {
            switch self {
            case .int16: 3
            case .int32: 4
            case .int64: 5
            case .string: 6
            case .binary: 7
            case .stringArray: 8
            case .i18nString: 9
            }
        }

        var count: Int {
            switch self {
            case .int16(let values): values.count
            case .int32(let values): values.count
            case .int64(let values): values.count
            case .binary(let bytes): bytes.count
            case .stringArray(let strings): strings.count
            case .string, .i18nString: 1
            }
        }

        var alignment: Int {
            switch self {
            case .int16: 2
            case .int32: 4
            case .int64: 8
            default: 1
            }
        }

        func append(to data: inout [UInt8]) {
            switch self {
            case .int16(let values): for value in values { data.appendBigEndian(value) }
            case .int32(let values): for value in values { data.appendBigEndian(value) }
            case .int64(let values): for value in values { data.appendBigEndian(value) }
            case .binary(let bytes): data += bytes
            case .string(let text), .i18nString(let text):
                data += text.utf8
                data.append(0)
            case .stringArray(let strings):
                for text in strings {
                    data += text.utf8
                    data.append(0)
                }
            }
        }
    }

    static let magic: [UInt8] = [0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]

    private var values: [UInt32: Value] = [:]

    subscript(tag: UInt32) -> Value? {
        get { values[tag] }
        set { values[tag] = newValue }
    }

    /// This header as the signature header of an rpm file: region tag 62, padded with zeros to a
    /// multiple of 8 bytes, because the main header that follows must start 8-byte aligned.
    func encodedAsSignatureHeader() -> [UInt8] {
        var bytes = encoded(regionTag: RPMTag.headerSignatures)
        while bytes.count % 8 != 0 { bytes.append(0) }
        return bytes
    }

    /// The header's bytes, magic included, with `regionTag` (62 for the signature header, 63 for
    /// the main header) as the first entry.
    func encoded(regionTag: UInt32) -> [UInt8] {
        let sorted = values.sorted { $0.key < $1.key }
        let indexCount = sorted.count + 1
        var index: [UInt8] = []
        var data: [UInt8] = []
        index.reserveCapacity(indexCount * 16)
        var entries: [(tag: UInt32, type: UInt32, offset: Int, count: Int)] = []
        for (tag, value) in sorted {
            while data.count % value.alignment != 0 { data.append(0) }
            entries.append((tag, value.type, data.count, value.count))
            value.append(to: &data)
        }
        let trailerOffset = data.count
        // The trailer: the region tag again, its offset the negated size of the index.
        data.appendBigEndian(regionTag)
        data.appendBigEndian(UInt32(7))
        data.appendBigEndian(UInt32(bitPattern: Int32(-(indexCount * 16))))
        data.appendBigEndian(UInt32(16))
        for entry in [(regionTag, UInt32(7), trailerOffset, 16)] + entries {
            index.appendBigEndian(entry.0)
            index.appendBigEndian(entry.1)
            index.appendBigEndian(UInt32(entry.2))
            index.appendBigEndian(UInt32(entry.3))
        }
        var header = Self.magic
        header.appendBigEndian(UInt32(indexCount))
        header.appendBigEndian(UInt32(data.count))
        header += index
        header += data
        return header
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
