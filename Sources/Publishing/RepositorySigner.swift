import Foundation
import Signing

/// Signs repository indexes with one key, dated at the repository's own date (never the wall
/// clock), so an EdDSA or RSA key gives the same signature bytes for the same repository.
package struct RepositorySigner: Sendable {
    package let signer: GPGSigner

    package init(_ signer: GPGSigner) { self.signer = signer }

    /// The file users point `signed-by=` and `gpgkey=` at.
    static let publicKeyFile = "key.asc"

    func dated(_ epoch: Int64) -> GPGSigner {
        signer.with(signatureTime: epoch)
    }

    func detached(_ path: String, at epoch: Int64) async throws(PublishError) -> Data {
        do { return try await dated(epoch).detachedSignature(ofFile: path, armored: true) } catch { throw Self.mapped(error) }
    }

    func clearSigned(_ path: String, at epoch: Int64) async throws(PublishError) -> Data {
        do { return try await dated(epoch).clearSigned(file: path) } catch { throw Self.mapped(error) }
    }

    func publicKey() async throws(PublishError) -> Data {
        do { return try await signer.publicKey(armored: true) } catch { throw Self.mapped(error) }
    }

    /// Fails early, before anything is copied, when the key is not usable.
    func check() async throws(PublishError) {
        do { _ = try await signer.signingKey() } catch { throw Self.mapped(error) }
    }

    private static func mapped(_ error: SigningError) -> PublishError {
        error == .cancelled ? .cancelled : .signing(error.description)
    }
}

/// What one publish did to a repository.
package struct PublishSummary: Sendable, Equatable {
    /// Repository-relative paths of packages new in the repository.
    package var added: [String] = []
    /// Already there with the same bytes: nothing was written for them.
    package var unchanged: [String] = []
    /// Overwritten with `--replace`.
    package var replaced: [String] = []
    /// Whether the indexes (and signatures) were written again.
    package var indexesWritten = false
}
