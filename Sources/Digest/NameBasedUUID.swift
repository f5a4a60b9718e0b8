import COpenSSL

/// RFC 9562 version-5 UUIDs: the same namespace and name always give the same UUID. SBOMs need
/// a document identifier that is unique per content yet reproducible, and CycloneDX accepts only
/// versions 1 to 5, so a name-based UUID is the one kind that fits. SHA-1 is used here only
/// because version 5 is defined over it; it identifies, it never vouches for bytes.
package enum NameBasedUUID {
    /// RFC 9562's URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    package static let urlNamespace: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]

    /// The lowercase text form (`xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx`) of the UUID for `name`.
    package static func version5(namespace: [UInt8] = urlNamespace, name: String) throws(DigestError) -> String {
        guard let context = EVP_MD_CTX_new() else { throw .openssl("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        let input = namespace + Array(name.utf8)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestInit_ex(context, EVP_sha1(), nil) == 1,
              input.withUnsafeBytes({ EVP_DigestUpdate(context, $0.baseAddress, $0.count) }) == 1,
              EVP_DigestFinal_ex(context, &output, &length) == 1, length >= 16 else { throw .openssl("SHA-1 for a UUID") }
        var bytes = Array(output.prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x50
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = Digests.hexString(bytes)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }
}
