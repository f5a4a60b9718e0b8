import Foundation
import Packaging
import Signing

/// Packaging's signer, made by the build machine's gpg. Made once per run, before any build
/// work, so an unknown key or one that cannot sign stops the run in seconds (exit 2).
package struct GPGPackageSigner: PackageSigner {
    package let signer: GPGSigner
    package let key: SigningKey

    package var keyFingerprint: String { key.fingerprint }

    /// Looks the key up; signatures will be dated `sourceDateEpoch` (raised to the key's
    /// creation time by the signer).
    package static func prepare(_ settings: SigningSettings, sourceDateEpoch: Int) async throws(RunError) -> GPGPackageSigner {
        do {
            let signer = settings.signer(signatureTime: Int64(sourceDateEpoch))
            let key = try await signer.signingKey()
            return GPGPackageSigner(signer: signer.resolved(to: key), key: key)
        } catch {
            if error == .cancelled { throw .cancelled(.build) }
            let keyring = settings.gnupgHome.map { "\($0) (signing.gnupg_home)" }
                ?? ProcessInfo.processInfo.environment["GNUPGHOME"].map { "\($0) (GNUPGHOME)" } ?? "~/.gnupg"
            throw .badInput("\(error)\n  the key name comes from \(settings.source), the keyring is \(keyring); --no-sign writes unsigned packages")
        }
    }

    /// The same key, signatures dated at the epoch the packages were written with.
    package func dated(_ sourceDateEpoch: Int) -> GPGPackageSigner {
        GPGPackageSigner(signer: signer.with(signatureTime: Int64(sourceDateEpoch)), key: key)
    }

    package func signature(ofFile path: String, armored: Bool) async throws -> [UInt8] {
        do {
            return [UInt8](try await signer.detachedSignature(ofFile: path, armored: armored))
        } catch .cancelled {
            throw PackagingError.cancelled
        } catch {
            throw PackagingError.signing(error.description)
        }
    }
}
