import COpenSSL

package enum DigestError: Error, CustomStringConvertible, Sendable {
    case openssl(String)
    case unreadable(path: String, reason: String)

    package var description: String {
        switch self {
        case .openssl(let what): "OpenSSL digest failure: \(what)"
        case .unreadable(let path, let reason): "\(path): cannot read for hashing: \(reason)"
        }
    }
}

/// Incremental digest over libcrypto's EVP interface, so that large files and
/// package streams are hashed without holding them in memory.
package final class StreamingDigest {
    package let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    package init(_ algorithm: DigestAlgorithm) throws(DigestError) {
        guard let context = EVP_MD_CTX_new() else { throw .openssl("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, algorithm.evpMD, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw .openssl("EVP_DigestInit_ex(\(algorithm))")
        }
        self.algorithm = algorithm
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    package func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest; the object must not be updated afterwards.
    package func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return Array(output.prefix(Int(length)))
    }
}
