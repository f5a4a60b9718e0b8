/// Why a signature could not be made, worded for the person who configured the key.
package enum SigningError: Error, Sendable, CustomStringConvertible, Equatable {
    case gpgMissing
    case keyNotFound(key: String, detail: String)
    /// The name matches several secret keys; gpg would pick one silently.
    case ambiguousKey(key: String, fingerprints: [String])
    /// The key is there but neither it nor a subkey can sign now.
    case cannotSign(key: String, fingerprint: String, reason: String)
    case passphraseFileUnreadable(path: String)
    case gpgFailed(operation: String, status: Int32, output: String)
    case cancelled

    package var description: String {
        switch self {
        case .gpgMissing:
            "signing needs GnuPG: 'gpg' is not installed or not on PATH (Debian: apt-get install gnupg)"
        case .keyNotFound(let key, let detail):
            "signing key '\(key)': no secret key of that name in the keyring (\(Self.firstLine(detail))); list the keys that can sign with 'gpg --list-secret-keys'"
        case .ambiguousKey(let key, let fingerprints):
            "signing key '\(key)' names \(fingerprints.count) secret keys (\(fingerprints.joined(separator: ", "))); give the fingerprint of the one to sign with"
        case .cannotSign(let key, let fingerprint, let reason):
            "signing key '\(key)' (\(fingerprint)) cannot sign: \(reason); see 'gpg --list-secret-keys \(fingerprint)'"
        case .passphraseFileUnreadable(let path):
            "the signing passphrase file \(path) cannot be read"
        case .gpgFailed(let operation, let status, let output):
            "gpg \(operation) failed (exit \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
                + (output.contains("pinentry") || output.contains("passphrase")
                    ? " (the key needs its passphrase: unlock it in gpg-agent or name a file holding it with OMNIBUS_SIGNING_PASSPHRASE_FILE or signing.passphrase_file)"
                    : "")
        case .cancelled:
            "interrupted"
        }
    }

    /// gpg's own words without its "gpg: " prefixes, on one line.
    private static func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.hasPrefix("gpg: ") ? String($0.dropFirst(5)) : String($0) }
        return lines.last { !$0.isEmpty && !$0.contains("WARNING") } ?? "gpg said nothing"
    }
}
