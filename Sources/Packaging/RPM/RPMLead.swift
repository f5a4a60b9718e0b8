/// The 96-byte lead that opens every rpm file. rpm ignores all of it but the magic and the
/// signature type; the name and numbers are kept right for older tools (`file`, rpm 4.4).
enum RPMLead {
    static func bytes(name: String, architecture: PackageArchitecture) -> [UInt8] {
        var lead: [UInt8] = [0xed, 0xab, 0xee, 0xdb, 3, 0]
        lead.appendBigEndian(Int16(0))  // binary package
        lead.appendBigEndian(architecture.rpmLeadNumber)
        var nameBytes = Array(name.utf8.prefix(65))
        nameBytes += [UInt8](repeating: 0, count: 66 - nameBytes.count)
        lead += nameBytes
        lead.appendBigEndian(Int16(1))  // Linux
        lead.appendBigEndian(Int16(5))  // signature is a header structure
        lead += [UInt8](repeating: 0, count: 16)
        return lead
    }
}
