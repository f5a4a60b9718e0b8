/// Why a signature could not be made, worded for the person who configured the key.
package enum SigningError: Error, Sendable, CustomStringConvertible, Equatable {
    case gpgMissing
    case keyNotFound(key: String, detail: String)
    case passphraseFileUnreadable(path: String)
    case gpgFailed(operation: String, status: Int32, output: String)
    case cancelled

    package var description: String {
        switch self {
        case .gpgMissing:
            "signing needs GnuPG: 'gpg' is not installed or not on PATH (Debian: apt-get install gnupg)"
        case .keyNotFound(let key, let detail):
            "signing key '\(key)' has no secret key in the keyring (gpg --list-secret-keys '\(key)'): \(detail)"
        case .passphraseFileUnreadable(let path):
            "the signing passphrase file \(path) cannot be read"
        case .gpgFailed(let operation, let status, let output):
            "gpg \(operation) failed (exit \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .cancelled:
            "interrupted"
        }
    }
}
