import Foundation

/// An ELF64 little-endian x86-64 shared object built byte by byte: the ELF header, one `PT_LOAD`
/// over the whole file, a `PT_DYNAMIC`, and the dynamic string table. The reader and the
/// resolver need nothing more; the loader would refuse it (no code, no hash table), and no test
/// runs it. Compiling thousands of libraries with `cc` would take minutes; this takes milliseconds.
struct CraftedELF {
    var needed: [String] = []
    var soname: String?
    var rpath: String?
    var runpath: String?

    var bytes: [UInt8] {
        var strings: [UInt8] = [0]
        func add(_ text: String) -> UInt64 {
            defer { strings += Array(text.utf8) + [0] }
            return UInt64(strings.count)
        }
        var dynamic: [(tag: Int64, value: UInt64)] = needed.map { (1, add($0)) }
        if let soname { dynamic.append((14, add(soname))) }
        if let rpath { dynamic.append((15, add(rpath))) }
        if let runpath { dynamic.append((29, add(runpath))) }
        let headerSize = 64, programHeaderSize = 56
        let stringsOffset = headerSize + 2 * programHeaderSize
        let dynamicOffset = (stringsOffset + strings.count + 7) & ~7
        // Addresses equal file offsets: the one PT_LOAD maps the file at address 0.
        dynamic += [(5, UInt64(stringsOffset)), (10, UInt64(strings.count)), (0, 0)]
        let total = dynamicOffset + 16 * dynamic.count

        var out: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        func put16(_ value: Int) { out += withUnsafeBytes(of: UInt16(value).littleEndian, Array.init) }
        func put32(_ value: Int) { out += withUnsafeBytes(of: UInt32(value).littleEndian, Array.init) }
        func put64(_ value: UInt64) { out += withUnsafeBytes(of: value.littleEndian, Array.init) }
        put16(3); put16(62); put32(1)                       // ET_DYN, x86-64, EV_CURRENT
        put64(0); put64(UInt64(headerSize)); put64(0)       // entry, phoff, shoff
        put32(0); put16(headerSize); put16(programHeaderSize); put16(2)
        put16(64); put16(0); put16(0)                       // no section headers
        put32(1); put32(5); put64(0); put64(0); put64(0)    // PT_LOAD, R+X, the whole file
        put64(UInt64(total)); put64(UInt64(total)); put64(0x1000)
        put32(2); put32(6); put64(UInt64(dynamicOffset)); put64(UInt64(dynamicOffset)); put64(UInt64(dynamicOffset))
        put64(UInt64(16 * dynamic.count)); put64(UInt64(16 * dynamic.count)); put64(8)
        out += strings
        out += [UInt8](repeating: 0, count: dynamicOffset - out.count)
        for entry in dynamic {
            put64(UInt64(bitPattern: entry.tag))
            put64(entry.value)
        }
        return out
    }

    func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
