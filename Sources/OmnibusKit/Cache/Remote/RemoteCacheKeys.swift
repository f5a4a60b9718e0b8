import Digest
import Foundation

/// The signing keys of the remote cache: making one (`omnibus cache keygen`), reading one to sign
/// with, and reading the public keys a reader trusts. Private keys are PKCS#8 PEM files, the form
/// `openssl genpkey -algorithm ed25519` writes, so either tool can make them.
package enum RemoteCacheKeys {
    /// Writes a new private key to `path` (mode 0600; the file must not exist yet) and returns
    /// its public key, which readers put in `trusted_keys`.
    @discardableResult
    package static func generate(at path: String) throws(RemoteCacheKeyError) -> Ed25519PublicKey {
        let key: Ed25519PrivateKey
        do { key = try Ed25519PrivateKey.generate() } catch { throw .unusable(path: path, reason: error.description) }
        // O_EXCL: a key that already signs uploads must never be replaced by accident.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "already exists; keys are never overwritten, remove it first or choose another path"
                : String(cString: strerror(errno))
            throw .cannotWrite(path: path, reason: reason)
        }
        let bytes = Array(key.pem.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            unlink(path)
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        return key.publicKey
    }

    /// The public key of the key file at `path` (a private key, or a public key in PEM or hex).
    package static func publicKey(of path: String) throws(RemoteCacheKeyError) -> Ed25519PublicKey {
        let text = try read(path)
        if text.contains("PRIVATE KEY") {
            do { return try Ed25519PrivateKey(pem: text).publicKey } catch { throw .unusable(path: path, reason: error.description) }
        }
        do { return try parsePublicKey(text) } catch { throw .unusable(path: path, reason: error.description) }
    }

    /// The private key uploads are signed with.
    package static func signingKey(at path: String) throws(RemoteCacheKeyError) -> Ed25519PrivateKey {
        let text = try read(path)
        do { return try Ed25519PrivateKey(pem: text) } catch { throw .unusable(path: path, reason: error.description) }
    }

    /// One `trusted_keys` item: 64 hex digits, a PEM public key, or the path of a file holding
    /// either (relative paths start at `directory`, the directory of the file that lists them).
    package static func trustedKey(_ text: String, relativeTo directory: String) throws(RemoteCacheKeyError) -> Ed25519PublicKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("-----BEGIN") || (trimmed.count == 64 && trimmed.allSatisfy(\.isHexDigit)) {
            do { return try parsePublicKey(trimmed) } catch { throw .invalidTrustedKey(text: text, reason: error.description) }
        }
        let path = trimmed.hasPrefix("/") ? trimmed : directory + "/" + trimmed
        guard FileManager.default.fileExists(atPath: path) else {
            throw .invalidTrustedKey(text: text, reason: "neither 64 hex digits, a PEM public key, nor an existing file (\(path))")
        }
        return try publicKey(of: path)
    }

    private static func parsePublicKey(_ text: String) throws(SigningError) -> Ed25519PublicKey {
        text.contains("-----BEGIN") ? try Ed25519PublicKey(pem: text)
            : try Ed25519PublicKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func read(_ path: String) throws(RemoteCacheKeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

package enum RemoteCacheKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case unusable(path: String, reason: String)
    case invalidTrustedKey(text: String, reason: String)

    package var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read the key file \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write the key file \(path): \(reason)"
        case .unusable(let path, let reason): "\(path) is not an Ed25519 key omnibus can use: \(reason)"
        case .invalidTrustedKey(let text, let reason):
            "trusted key '\(text.prefix(80))' cannot be used: \(reason); give the 64 hex digits omnibus cache keygen "
                + "prints, a PEM public key, or a file holding one"
        }
    }
}
