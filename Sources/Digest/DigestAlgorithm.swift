import COpenSSL

/// The digests the tool computes. MD5 exists only because `.deb` md5sums and rpm's
/// legacy header fields require it; nothing trusts it for integrity.
package enum DigestAlgorithm: String, Sendable, CaseIterable, Codable {
    case sha256, sha512, md5

    /// Length of the digest in bytes.
    package var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha512: 64
        case .md5: 16
        }
    }

    var evpMD: OpaquePointer? {
        switch self {
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        case .md5: EVP_md5()
        }
    }
}
