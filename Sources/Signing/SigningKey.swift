/// What GnuPG says about the secret key a signer uses.
package struct SigningKey: Sendable, Equatable {
    /// The primary key's fingerprint, upper-case hex: what users import and trust.
    package let fingerprint: String
    /// The key that actually signs: the primary key, or its newest usable signing subkey (as
    /// gpg itself would choose). Signatures name it as their issuer.
    package let signingFingerprint: String
    /// The last 16 hex digits of the signing key, as rpm and apt print them.
    package var keyID: String { String(signingFingerprint.suffix(16)) }
    /// OpenPGP public-key algorithm number of the signing key (1 RSA, 17 DSA, 19 ECDSA, 22 EdDSA).
    package let algorithm: Int
    /// When the signing key was made, seconds since the epoch.
    package let creationTime: Int64

    package init(fingerprint: String, signingFingerprint: String? = nil, algorithm: Int, creationTime: Int64) {
        self.fingerprint = fingerprint
        self.signingFingerprint = signingFingerprint ?? fingerprint
        self.algorithm = algorithm
        self.creationTime = creationTime
    }

    /// EdDSA signatures depend only on key and data, so equal inputs give equal bytes; RSA
    /// (PKCS#1 v1.5) is deterministic too. DSA and ECDSA draw a random nonce per signature.
    package var signsDeterministically: Bool { algorithm == 1 || algorithm == 22 }

    /// Why a listing yields no key to sign with.
    enum ListingProblem: Error, Equatable {
        case noKey
        case ambiguous(fingerprints: [String])
        case noSigningKey(fingerprint: String, reason: String)
    }

    /// Reads `gpg --with-colons --fixed-list-mode --list-secret-keys`: one primary key (`sec`)
    /// with its subkeys (`ssb`), each followed by its `fpr` record. The signing key is chosen
    /// like gpg does: the newest valid subkey that can sign and whose secret part is here,
    /// else the primary key if it can sign.
    static func parse(colonListing: String) -> Result<SigningKey, ListingProblem> {
        struct Candidate {
            var fields: [String]
            var fingerprint = ""
            var primary: Bool
        }
        var primaries: [[Candidate]] = []
        for line in colonListing.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "sec": primaries.append([Candidate(fields: fields, primary: true)])
            case "ssb": if !primaries.isEmpty { primaries[primaries.count - 1].append(Candidate(fields: fields, primary: false)) }
            case "fpr":
                if fields.count > 9, var keys = primaries.popLast(), var last = keys.popLast() {
                    if last.fingerprint.isEmpty { last.fingerprint = fields[9] }
                    keys.append(last)
                    primaries.append(keys)
                }
            default: continue
            }
        }
        guard let keys = primaries.first, let primary = keys.first else { return .failure(.noKey) }
        guard primaries.count == 1 else { return .failure(.ambiguous(fingerprints: primaries.compactMap { $0.first?.fingerprint })) }
        func field(_ key: Candidate, _ index: Int) -> String { key.fields.count > index ? key.fields[index] : "" }
        // Validity (field 2): e expired, r revoked, i invalid, d disabled. Secret (field 15):
        // '#' means only a stub is here (the secret part is offline).
        let usable = keys.filter { key in
            field(key, 11).contains("s") && !["e", "r", "i", "d"].contains(field(key, 1)) && field(key, 14) != "#"
                && Int(field(key, 3)) != nil && Int64(field(key, 5)) != nil && !key.fingerprint.isEmpty
        }
        let chosen = usable.filter { !$0.primary }.max { Int64(field($0, 5))! < Int64(field($1, 5))! }
            ?? usable.first { $0.primary }
        guard let chosen else {
            let reason = field(primary, 1) == "e" ? "the key has expired"
                : field(primary, 1) == "r" ? "the key is revoked"
                : field(primary, 14) == "#" ? "only a stub of the secret key is in this keyring"
                : "neither the key nor a subkey of it can sign (capabilities '\(field(primary, 11))')"
            return .failure(.noSigningKey(fingerprint: primary.fingerprint, reason: reason))
        }
        return .success(SigningKey(fingerprint: primary.fingerprint, signingFingerprint: chosen.fingerprint,
                                   algorithm: Int(field(chosen, 3))!, creationTime: Int64(field(chosen, 5))!))
    }
}
