/// What GnuPG says about the secret key a signer uses.
package struct SigningKey: Sendable, Equatable {
    /// Full fingerprint, upper-case hex.
    package let fingerprint: String
    /// The last 16 hex digits, as rpm and apt print them.
    package var keyID: String { String(fingerprint.suffix(16)) }
    /// OpenPGP public-key algorithm number (1 RSA, 17 DSA, 19 ECDSA, 22 EdDSA).
    package let algorithm: Int
    /// Seconds since the epoch.
    package let creationTime: Int64

    package init(fingerprint: String, algorithm: Int, creationTime: Int64) {
        self.fingerprint = fingerprint
        self.algorithm = algorithm
        self.creationTime = creationTime
    }

    /// EdDSA signatures depend only on key and data, so equal inputs give equal bytes; RSA
    /// (PKCS#1 v1.5) is deterministic too. DSA and ECDSA draw a random nonce per signature.
    package var signsDeterministically: Bool { algorithm == 1 || algorithm == 22 }

    /// Reads the first `sec` and `fpr` records of `gpg --with-colons --list-secret-keys`.
    static func parse(colonListing: String) -> SigningKey? {
        var algorithm: Int?
        var created: Int64?
        for line in colonListing.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "sec", fields.count > 5 {
                algorithm = Int(fields[3])
                created = Int64(fields[5])
            } else if fields.first == "fpr", fields.count > 9, let algorithm, let created {
                return SigningKey(fingerprint: fields[9], algorithm: algorithm, creationTime: created)
            }
        }
        return nil
    }
}
