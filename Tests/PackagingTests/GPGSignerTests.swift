import Foundation
import Signing
import Testing

/// `GPGSigner` against the real gpg: which key it signs with, how it dates signatures, how it
/// reads a passphrase, and what it says when the key is not usable.
@Suite(.enabled(if: TestKeyring.hasGPG, "gpg is not installed")) struct GPGSignerTests {
    static func file(_ text: String, in keyring: TestKeyring) throws -> String {
        let path = keyring.home + "/input.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `gpg --list-packets` of a signature: its creation time and the issuer's fingerprint.
    static func packet(_ signature: Data, in keyring: TestKeyring) async throws -> (created: Int64?, issuer: String?) {
        let path = keyring.home + "/signature-\(UUID().uuidString).sig"
        try signature.write(to: URL(fileURLWithPath: path))
        let text = try await keyring.gpg(["--list-packets", path]).text
        let created = text.components(separatedBy: "created ").dropFirst().first
            .flatMap { Int64($0.prefix { $0.isNumber }) }
        let issuer = text.components(separatedBy: "issuer fpr v4 ").dropFirst().first.map { String($0.prefix(40)) }
        return (created, issuer)
    }

    @Test func findsTheKeyAndItsAlgorithm() async throws {
        for (algorithm, number) in [("ed25519", 22), ("rsa3072", 1)] {
            let keyring = try await TestKeyring.make(algorithm)
            defer { keyring.remove() }
            let key = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home).signingKey()
            #expect(key.fingerprint == keyring.fingerprint && key.signingFingerprint == keyring.fingerprint)
            #expect(key.algorithm == number && key.signsDeterministically)
            let listed = try await keyring.gpg(["--with-colons", "--list-keys", keyring.fingerprint]).text
            let created = listed.split(separator: "\n").first { $0.hasPrefix("pub:") }?
                .split(separator: ":", omittingEmptySubsequences: false)[5]
            #expect(created.map(String.init) == String(key.creationTime))
            // The public key, as users import it: what gpg --export gives.
            let exported = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home).publicKey(armored: false)
            await #expect(exported == (try keyring.gpg(["--export", keyring.fingerprint]).output))
            let armored = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home).publicKey(armored: true)
            #expect(String(decoding: armored, as: UTF8.self).hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"))
            // A user id names the key as well as its fingerprint does.
            #expect(try await GPGSigner(key: "t@example.com", homeDirectory: keyring.home).signingKey() == key)
        }
    }

    @Test func signsWithTheNewestSigningSubkeyAsGpgWould() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        try await keyring.gpg(["--passphrase", "", "--pinentry-mode", "loopback", "--quick-add-key", keyring.fingerprint, "ed25519", "sign", "never"])
        let subkey = try await keyring.gpg(["--with-colons", "--list-secret-keys", keyring.fingerprint]).text
            .split(separator: "\n").filter { $0.hasPrefix("fpr:") }.last?.split(separator: ":", omittingEmptySubsequences: false)[9]
        let signer = GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home, signatureTime: 1_700_000_000)
        let key = try await signer.signingKey()
        #expect(key.fingerprint == keyring.fingerprint)
        #expect(key.signingFingerprint == subkey.map(String.init) && key.signingFingerprint != key.fingerprint)
        let signature = try await signer.detachedSignature(ofFile: try Self.file("data\n", in: keyring))
        await #expect(try Self.packet(signature, in: keyring).issuer == key.signingFingerprint)
    }

    @Test func datesSignaturesAtTheEpochButNeverBeforeTheKey() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let input = try Self.file("dated\n", in: keyring)
        let created = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home).signingKey().creationTime
        let later = created + 86_400
        let dated = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home, signatureTime: later)
            .detachedSignature(ofFile: input)
        await #expect(try Self.packet(dated, in: keyring).created == later)
        let raised = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home, signatureTime: 1_000_000)
            .detachedSignature(ofFile: input)
        await #expect(try Self.packet(raised, in: keyring).created == created)
        // EdDSA, the same date: the same bytes.
        let again = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home, signatureTime: later)
            .detachedSignature(ofFile: input)
        #expect(again == dated)
        let armored = try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home, signatureTime: later)
            .detachedSignature(ofFile: input, armored: true)
        #expect(String(decoding: armored, as: UTF8.self).hasPrefix("-----BEGIN PGP SIGNATURE-----\n"))
        let path = keyring.home + "/input.txt.asc"
        try armored.write(to: URL(fileURLWithPath: path))
        await #expect(try keyring.gpg(["--verify", path, input]).error.contains("Good signature"))
    }

    @Test func readsThePassphraseFromAFile() async throws {
        let keyring = try await TestKeyring.make(passphrase: "correct horse")
        defer { keyring.remove() }
        // Forget the passphrase gpg-agent cached while making the key.
        _ = try await Command.run("gpgconf", ["--homedir", keyring.home, "--reload", "gpg-agent"])
        let input = try Self.file("secret\n", in: keyring)
        let passphrase = keyring.home + "/passphrase"
        try Data("correct horse\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        let signature = try await GPGSigner(key: keyring.fingerprint, passphraseFile: passphrase, homeDirectory: keyring.home)
            .detachedSignature(ofFile: input, armored: true)
        let path = input + ".asc"
        try signature.write(to: URL(fileURLWithPath: path))
        await #expect(try keyring.gpg(["--verify", path, input]).error.contains("Good signature"))

        _ = try await Command.run("gpgconf", ["--homedir", keyring.home, "--reload", "gpg-agent"])
        try Data("wrong\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        let wrong = await #expect(throws: SigningError.self) {
            try await GPGSigner(key: keyring.fingerprint, passphraseFile: passphrase, homeDirectory: keyring.home)
                .detachedSignature(ofFile: input)
        }
        #expect(wrong?.description.contains("passphrase") == true, "\(String(describing: wrong))")

        let missing = await #expect(throws: SigningError.self) {
            try await GPGSigner(key: keyring.fingerprint, passphraseFile: keyring.home + "/nowhere", homeDirectory: keyring.home)
                .detachedSignature(ofFile: input)
        }
        #expect(missing == .passphraseFileUnreadable(path: keyring.home + "/nowhere"))
    }

    @Test func anUnknownOrAmbiguousKeyIsRefusedWithAHint() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let unknown = await #expect(throws: SigningError.self) {
            try await GPGSigner(key: "nobody@example.com", homeDirectory: keyring.home).signingKey()
        }
        let message = try #require(unknown).description
        #expect(message.contains("'nobody@example.com'") && message.contains("gpg --list-secret-keys"), "\(message)")

        try await keyring.gpg(["--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key",
                         "Omnibus Test Two <t@example.com>", "ed25519", "sign", "never"])
        let ambiguous = await #expect(throws: SigningError.self) {
            try await GPGSigner(key: "t@example.com", homeDirectory: keyring.home).signingKey()
        }
        guard case .ambiguousKey(_, let fingerprints) = try #require(ambiguous) else {
            Issue.record("expected an ambiguous key, got \(String(describing: ambiguous))")
            return
        }
        #expect(fingerprints.count == 2 && fingerprints.contains(keyring.fingerprint))
    }

    @Test func aKeyThatCannotSignIsRefused() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        try await keyring.gpg(["--quick-set-expire", keyring.fingerprint, "seconds=1"])
        // gpg marks the key expired only once the second has passed; wait for its own word.
        var listed = ""
        for _ in 0..<50 where !listed.contains("sec:e:") {
            try await Task.sleep(nanoseconds: 100_000_000)
            listed = try await keyring.gpg(["--with-colons", "--list-secret-keys", keyring.fingerprint]).text
        }
        let error = await #expect(throws: SigningError.self) {
            try await GPGSigner(key: keyring.fingerprint, homeDirectory: keyring.home).signingKey()
        }
        #expect(error == .cannotSign(key: keyring.fingerprint, fingerprint: keyring.fingerprint, reason: "the key has expired"))
    }
}
