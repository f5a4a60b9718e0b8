/// Makes OpenPGP signatures for packages. Packaging declares what it needs and never runs a
/// program itself: the caller adapts its signing tool (OmnibusKit: the build machine's gpg).
package protocol PackageSigner: Sendable {
    /// The signing key's fingerprint (upper-case hex), recorded in the metadata.
    var keyFingerprint: String { get }

    /// A detached OpenPGP signature of every byte of the file at `path`: one binary signature
    /// packet, or with `armored` the same as ASCII armor. Equal bytes in give equal bytes out
    /// where the key's algorithm allows it (EdDSA, RSA), so reproducible packages stay so.
    func signature(ofFile path: String, armored: Bool) async throws -> [UInt8]
}

/// How a format carries its signature.
package enum PackageSignature: Sendable, Equatable {
    /// Inside the package (rpm's signature header, a deb's `_gpgorigin` member).
    case embedded
    /// In a file next to the package (its file name, e.g. `demo-1.0.tar.gz.asc`).
    case detached(fileName: String)
}

/// The parts of a v4 (or v3) OpenPGP signature packet a package format needs (RFC 4880 5.2).
package struct OpenPGPSignaturePacket: Sendable, Equatable {
    /// RFC 4880 public-key algorithm: 1 RSA, 17 DSA, 19 ECDSA, 22 EdDSA.
    package let publicKeyAlgorithm: UInt8

    package static let rsa: UInt8 = 1

    /// Reads the packet header and the first fields of the body; rejects anything that is not
    /// one signature packet, so a wrong output of the signer never reaches a package.
    package init(_ bytes: [UInt8]) throws(PackagingError) {
        guard let first = bytes.first, first & 0x80 != 0 else {
            throw .signing("the signer returned no binary OpenPGP packet (ASCII armor where binary was asked for?)")
        }
        let tag: UInt8
        var offset: Int
        let length: Int
        if first & 0x40 != 0 {
            // New format: tag in the low six bits, then a one-, two- or five-byte length.
            tag = first & 0x3f
            guard bytes.count > 2 else { throw .signing("the signature packet is truncated") }
            let octet = Int(bytes[1])
            switch octet {
            case 0..<192:
                length = octet
                offset = 2
            case 192..<224:
                length = ((octet - 192) << 8) + Int(bytes[2]) + 192
                offset = 3
            case 255:
                guard bytes.count > 6 else { throw .signing("the signature packet is truncated") }
                length = bytes[2...5].reduce(0) { $0 << 8 | Int($1) }
                offset = 6
            default:
                throw .signing("the signature packet has a partial length, which no signer writes")
            }
        } else {
            // Old format: tag in bits 5-2, length type in bits 1-0.
            tag = (first >> 2) & 0x0f
            let lengthBytes = [1, 2, 4, 0][Int(first & 0x03)]
            guard lengthBytes > 0, bytes.count > lengthBytes else {
                throw .signing("the signature packet has an indeterminate length")
            }
            length = bytes[1...lengthBytes].reduce(0) { $0 << 8 | Int($1) }
            offset = 1 + lengthBytes
        }
        guard tag == 2 else { throw .signing("the signer returned an OpenPGP packet of type \(tag), not a signature") }
        guard offset + length == bytes.count else {
            throw .signing("the signer returned \(bytes.count) bytes for a \(offset + length)-byte signature packet")
        }
        guard length > 8 else { throw .signing("the signature packet is truncated") }
        switch bytes[offset] {
        case 4:
            // version, signature type, public-key algorithm, hash algorithm
            publicKeyAlgorithm = bytes[offset + 2]
        case 3:
            // version, hashed length (5), type, time, key id (8), public-key algorithm
            guard length > 16 else { throw .signing("the signature packet is truncated") }
            publicKeyAlgorithm = bytes[offset + 15]
        default:
            throw .signing("the signature packet has version \(bytes[offset]), which rpm 4 cannot read (v4 signatures only)")
        }
    }
}

extension Packager {
    package func sign(packageAt path: String, info: PackageInfo, with signer: any PackageSigner,
                      scratchDirectory: String) async throws -> PackageSignature {
        let signature = try await signer.signature(ofFile: path, armored: true)
        let file = try FileSink(creating: path + ".asc")
        try signature.withUnsafeBytes { try file.write($0) }
        _ = try file.finish()
        return .detached(fileName: String(path.split(separator: "/").last ?? "") + ".asc")
    }
}
