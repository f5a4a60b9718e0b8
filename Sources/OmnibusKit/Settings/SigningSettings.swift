import Definitions
import Signing

/// Which OpenPGP key signs, after precedence: `--signing-key` > `OMNIBUS_SIGNING_KEY` >
/// `signing.key` in omnibus.config.yml. The passphrase file follows the same order
/// (`OMNIBUS_SIGNING_PASSPHRASE_FILE` > `signing.passphrase_file`), so a CI job can keep the key
/// name in the repository and put only the secret in the environment.
package struct SigningSettings: Sendable, Equatable {
    package var key: String
    package var passphraseFile: String?
    /// `GNUPGHOME`; nil: gpg's own default (the environment's `GNUPGHOME`, else `~/.gnupg`).
    package var gnupgHome: String?
    /// Where the key name came from, for messages: the user must know what to change.
    package var source: String

    package init(key: String, passphraseFile: String? = nil, gnupgHome: String? = nil, source: String = "--signing-key") {
        self.key = key
        self.passphraseFile = passphraseFile
        self.gnupgHome = gnupgHome
        self.source = source
    }

    static func resolve(flag: String?, config: RepositoryConfig.SigningConfig?, environment: [String: String],
                        absolute: (String) -> String) -> SigningSettings? {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let chosen: (key: String, source: String)
        if let flag {
            chosen = (flag, "--signing-key")
        } else if let variable = given(environment["OMNIBUS_SIGNING_KEY"]) {
            chosen = (variable, "OMNIBUS_SIGNING_KEY")
        } else if let configured = config?.key {
            chosen = (configured, "signing.key in omnibus.config.yml")
        } else {
            return nil
        }
        let passphrase = given(environment["OMNIBUS_SIGNING_PASSPHRASE_FILE"]).map(absolute) ?? config?.passphraseFile
        return SigningSettings(key: chosen.key, passphraseFile: passphrase, gnupgHome: config?.gnupgHome, source: chosen.source)
    }

    /// A signer dating its signatures at `epoch` (see `GPGSigner.signatureTime`).
    package func signer(signatureTime epoch: Int64?) -> GPGSigner {
        GPGSigner(key: key, passphraseFile: passphraseFile, homeDirectory: gnupgHome, signatureTime: epoch)
    }
}
