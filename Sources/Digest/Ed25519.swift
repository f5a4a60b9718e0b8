import COpenSSL

/// Why a key could not be made, read or used.
package enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    case openssl(String)
    /// Bytes or text that are not an Ed25519 key; `what` names the form that was expected.
    case invalidKey(String)

    package var description: String {
        switch self {
        case .openssl(let what): "OpenSSL signing failure: \(what)"
        case .invalidKey(let what): what
        }
    }
}

/// An Ed25519 public key: the 32 raw bytes of RFC 8032, which is all a verifier needs.
package struct Ed25519PublicKey: Sendable, Hashable, CustomStringConvertible {
    package static let byteCount = 32
    package let raw: [UInt8]

    package init(raw: [UInt8]) throws(SigningError) {
        guard raw.count == Self.byteCount else {
            throw .invalidKey("an Ed25519 public key is \(Self.byteCount) bytes, not \(raw.count)")
        }
        self.raw = raw
    }

    /// 64 hex digits, the form settings and `omnibus cache keygen` print.
    package var hex: String { Digests.hexString(raw) }

    /// A short name for the key, for records and messages: the first 16 hex digits of the
    /// SHA-256 of the raw key. It only picks the key to verify with; the signature decides.
    package var keyID: String {
        // SHA-256 of 32 bytes in memory cannot fail short of a broken libcrypto.
        String(((try? Digests.hex(.sha256, of: raw)) ?? hex).prefix(16))
    }

    package var description: String { "ed25519:\(keyID)" }

    /// Whether `signature` is this key's signature of `message`. Malformed input is simply false:
    /// a caller only needs to know whether to trust the message.
    package func verify(signature: [UInt8], of message: [UInt8]) -> Bool {
        guard signature.count == 64,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally, so no digest is named (nil) and the message goes in one call.
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }
}

/// An Ed25519 private key, held as its 32-byte seed (RFC 8032's private key).
package struct Ed25519PrivateKey: Sendable {
    private let seed: [UInt8]
    package let publicKey: Ed25519PublicKey

    package init(seed: [UInt8]) throws(SigningError) {
        guard seed.count == 32 else { throw .invalidKey("an Ed25519 private key is 32 bytes, not \(seed.count)") }
        let key = try Self.load(seed)
        defer { EVP_PKEY_free(key) }
        var raw = [UInt8](repeating: 0, count: Ed25519PublicKey.byteCount)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == raw.count else {
            throw .openssl("EVP_PKEY_get_raw_public_key")
        }
        self.seed = seed
        publicKey = try Ed25519PublicKey(raw: raw)
    }

    /// A new key from libcrypto's random generator.
    package static func generate() throws(SigningError) -> Ed25519PrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else { throw .openssl("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw .openssl("EVP_PKEY_keygen")
        }
        defer { EVP_PKEY_free(key) }
        var seed = [UInt8](repeating: 0, count: 32)
        var length = seed.count
        guard EVP_PKEY_get_raw_private_key(key, &seed, &length) == 1, length == seed.count else {
            throw .openssl("EVP_PKEY_get_raw_private_key")
        }
        return try Ed25519PrivateKey(seed: seed)
    }

    /// The 64-byte signature of `message`. Ed25519 is deterministic: the same key and message
    /// always give the same signature.
    package func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        let key = try Self.load(seed)
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw .openssl("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { throw .openssl("EVP_DigestSignInit") }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64 else {
            throw .openssl("EVP_DigestSign")
        }
        return signature
    }

    /// The seed, for writing the key to a file; nothing else should need it.
    package var seedBytes: [UInt8] { seed }

    private static func load(_ seed: [UInt8]) throws(SigningError) -> OpaquePointer {
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count) else {
            throw .openssl("EVP_PKEY_new_raw_private_key")
        }
        return key
    }
}
