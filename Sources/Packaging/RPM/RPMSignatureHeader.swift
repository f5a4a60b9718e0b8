import Foundation

/// OpenPGP signature tags of the signature header (rpmtag.h). rpm 4 verifies the header-only
/// signature (RSA or DSA tag) and the header+payload one (PGP or GPG tag); rpm 6 reads the
/// OPENPGP tag first and then skips the other two, so all carry the same key's signatures.
extension RPMSignatureTag {
    /// Header only, DSA, ECDSA or EdDSA key (RPMSIGTAG_DSA).
    static let dsaHeader: UInt32 = 267
    /// Header only, RSA key (RPMSIGTAG_RSA).
    static let rsaHeader: UInt32 = 268
    /// Header only, any key: base64 (one line, no armor) of the signature packet, one string
    /// per signature (RPMSIGTAG_OPENPGP, rpm 6).
    static let openPGP: UInt32 = 278
    /// Header and payload, RSA key (RPMSIGTAG_PGP).
    static let pgp: UInt32 = 1002
    /// Header and payload, any other key (RPMSIGTAG_GPG).
    static let gpg: UInt32 = 1005

    static let signatures: Set<UInt32> = [dsaHeader, rsaHeader, openPGP, pgp, gpg]
}

extension RPMPackager {
    /// Adds the signatures `rpmsign --addsign --rpmv3` would (and rpm 6's OPENPGP tag) to the
    /// signature header of the rpm at `path`. The header and payload are untouched, so the
    /// header's digests and the MD5 over header and payload stay valid; the file is rewritten
    /// because the signature header grows.
    package func sign(packageAt path: String, info: PackageInfo, with signer: any PackageSigner,
                      scratchDirectory: String) async throws -> PackageSignature {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw PackagingError.unreadable(path: path, reason: "cannot open the staged rpm")
        }
        defer { try? file.close() }
        let layout = try RPMFileLayout(reading: file, path: path)
        let headerPath = scratchDirectory + "/rpm-header"
        let signedRangePath = scratchDirectory + "/rpm-header-payload"
        defer {
            unlink(headerPath)
            unlink(signedRangePath)
        }
        try FileRange.copy(file, from: layout.headerOffset, count: UInt64(layout.headerSize), source: path, to: headerPath)
        try FileRange.copy(file, from: layout.headerOffset, count: nil, source: path, to: signedRangePath)

        let headerSignature = try await signer.signature(ofFile: headerPath, armored: false)
        let rangeSignature = try await signer.signature(ofFile: signedRangePath, armored: false)
        let rsa = try OpenPGPSignaturePacket(headerSignature).publicKeyAlgorithm == OpenPGPSignaturePacket.rsa
        guard try OpenPGPSignaturePacket(rangeSignature).publicKeyAlgorithm == OpenPGPSignaturePacket(headerSignature).publicKeyAlgorithm else {
            throw PackagingError.signing("the signer used two different keys for one rpm")
        }

        var signature = try RPMHeaderReader.decode(layout.signatureHeader)
        if let existing = RPMSignatureTag.signatures.first(where: { signature[$0] != nil }) {
            throw PackagingError.signing("\(path) already has an OpenPGP signature (signature tag \(existing))")
        }
        signature[rsa ? RPMSignatureTag.rsaHeader : RPMSignatureTag.dsaHeader] = .binary(headerSignature)
        signature[rsa ? RPMSignatureTag.pgp : RPMSignatureTag.gpg] = .binary(rangeSignature)
        signature[RPMSignatureTag.openPGP] = .stringArray([Data(headerSignature).base64EncodedString()])
        let signatureBytes = signature.encodedAsSignatureHeader()

        let lead = try FileRange.read(file, at: 0, count: RPMFileLayout.leadSize, path: path)
        let signedPath = scratchDirectory + "/rpm-signed"
        let signed = try FileSink(creating: signedPath)
        for part in [lead, signatureBytes] { try part.withUnsafeBytes { try signed.write($0) } }
        try FileRange.append(signedRangePath, to: signed)
        _ = try signed.finish()
        guard rename(signedPath, path) == 0 else {
            throw PackagingError.output(path: path, reason: String(cString: strerror(errno)))
        }
        return .embedded
    }
}
