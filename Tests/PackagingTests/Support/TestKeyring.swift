import Foundation
import OmnibusKit
import Packaging
import Signing

/// A throwaway GnuPG home with one secret key, made by the real gpg, for signing tests. The
/// path is short: gpg-agent's socket lives inside it and socket paths are limited to 108 bytes.
struct TestKeyring {
    let home: String
    /// The primary key's fingerprint.
    let fingerprint: String

    static var hasGPG: Bool { Command.which("gpg") != nil && Command.which("gpgconf") != nil }

    /// `algorithm` as `gpg --quick-gen-key` takes it: `ed25519`, `rsa3072`, `nistp256`...
    /// `passphrase` protects the key (empty: none).
    static func make(_ algorithm: String = "ed25519", passphrase: String = "",
                     userID: String = "Omnibus Test <t@example.com>") async throws -> TestKeyring {
        var template = Array("/tmp/gk-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FixtureError(message: "mkdtemp failed")
        }
        let home = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let keyring = TestKeyring(home: home, fingerprint: "")
        try await keyring.gpg(["--passphrase", passphrase, "--pinentry-mode", "loopback", "--quick-gen-key", userID, algorithm, "sign", "never"])
        let listing = try await keyring.gpg(["--with-colons", "--list-secret-keys"]).text
        guard let fingerprint = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") })?
            .split(separator: ":", omittingEmptySubsequences: false)[9] else {
            throw FixtureError(message: "gpg made no key: \(listing)")
        }
        return TestKeyring(home: home, fingerprint: String(fingerprint))
    }

    /// Runs gpg on this home; throws with gpg's words when it fails.
    @discardableResult
    func gpg(_ arguments: [String]) async throws -> CommandResult {
        let result = try await Command.run("gpg", ["--batch", "--no-tty", "--homedir", home] + arguments)
        guard result.succeeded else { throw FixtureError(message: "gpg \(arguments.joined(separator: " ")): \(result.error)") }
        return result
    }

    /// The public key, armored or binary, written to `path`.
    func exportPublicKey(to path: String, armored: Bool) async throws {
        try await gpg((armored ? ["--armor"] : []) + ["--output", path, "--export", fingerprint])
    }

    /// The gpg signer over this key for repository indexes, signatures dated `time`.
    func repositorySigner(at time: Int64? = nil) -> GPGSigner {
        GPGSigner(key: fingerprint, homeDirectory: home, signatureTime: time)
    }

    /// The product's signer over this key, signatures dated `epoch` (raised to the key's creation).
    func signer(epoch: Int = 1_700_000_000) async throws -> GPGPackageSigner {
        try await GPGPackageSigner.prepare(SigningSettings(key: fingerprint, gnupgHome: home), sourceDateEpoch: epoch)
    }

    /// Stops the agent this home started, then removes the home.
    func remove() {
        _ = try? Command.runBriefly("gpgconf", ["--homedir", home, "--kill", "all"])
        try? FileManager.default.removeItem(atPath: home)
    }
}

extension Fixture {
    /// The fixture's package in `packager`'s format, signed with `keyring`'s key, in `base/out`.
    func buildSigned(_ packager: some Packager, with keyring: TestKeyring) async throws -> BuiltPackage {
        let info = self.info()
        return try await PackageWriter.write(packager, contents: try contents(info), info: info,
                                             outputDirectory: base + "/out", signer: try await keyring.signer())
    }
}
