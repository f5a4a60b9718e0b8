import Foundation
import Spawning

/// Makes OpenPGP signatures with `gpg`. The key stays in GnuPG's keyring (or agent); the
/// passphrase, when the key has one and no agent holds it, is read by gpg from a file
/// (`--passphrase-file` with loopback pinentry), so it never appears in a process listing.
package struct GPGSigner: Sendable {
    /// A key id, fingerprint or user id, as `gpg --local-user` takes it.
    package let key: String
    package let passphraseFile: String?
    /// `GNUPGHOME`; nil keeps the caller's (`~/.gnupg`).
    package let homeDirectory: String?
    /// Signatures are dated here (raised to the key's creation time), not at the wall clock,
    /// so deterministic algorithms give the same bytes on every run. Nil: the current time.
    package let signatureTime: Int64?
    /// The key `key` named when it was looked up (`resolved()`): every signature is then made
    /// by that exact key, the one a caller recorded, without asking gpg again.
    package private(set) var resolvedKey: SigningKey?

    package init(key: String, passphraseFile: String? = nil, homeDirectory: String? = nil, signatureTime: Int64? = nil) {
        self.key = key
        self.passphraseFile = passphraseFile
        self.homeDirectory = homeDirectory
        self.signatureTime = signatureTime
    }

    /// This signer bound to `key`, what `signingKey()` returned.
    package func resolved(to key: SigningKey) -> GPGSigner {
        var copy = self
        copy.resolvedKey = key
        return copy
    }

    /// The same key, signatures dated `time` instead.
    package func with(signatureTime time: Int64?) -> GPGSigner {
        var copy = GPGSigner(key: key, passphraseFile: passphraseFile, homeDirectory: homeDirectory, signatureTime: time)
        copy.resolvedKey = resolvedKey
        return copy
    }

    /// The secret key `key` names and the (sub)key gpg signs with; fails when there is none,
    /// when it cannot sign, or when `key` names several keys (checked before any build work).
    package func signingKey() async throws(SigningError) -> SigningKey {
        let listing = try await gpg(["--with-colons", "--fixed-list-mode", "--list-secret-keys", "--", key],
                                    operation: "--list-secret-keys", mapFailure: { .keyNotFound(key: key, detail: $0) })
        switch SigningKey.parse(colonListing: listing) {
        case .success(let parsed): return parsed
        case .failure(.noKey): throw .keyNotFound(key: key, detail: "gpg listed no secret key")
        case .failure(.ambiguous(let fingerprints)): throw .ambiguousKey(key: key, fingerprints: fingerprints)
        case .failure(.noSigningKey(let fingerprint, let reason)): throw .cannotSign(key: key, fingerprint: fingerprint, reason: reason)
        }
    }

    /// A binary (or ASCII-armored) detached signature of the file at `path`.
    package func detachedSignature(ofFile path: String, armored: Bool = false,
                                   digest: String = "SHA256") async throws(SigningError) -> Data {
        try await signToFile(["--detach-sign", armored ? "--armor" : "--no-armor", "--digest-algo", digest], input: path,
                             operation: "--detach-sign")
    }

    /// `Release` -> `InRelease`: the text with an inline cleartext signature.
    package func clearSigned(file path: String, digest: String = "SHA256") async throws(SigningError) -> Data {
        try await signToFile(["--clearsign", "--digest-algo", digest], input: path, operation: "--clearsign")
    }

    /// The public key, for `signed-by=`, `rpm --import`, debsig-verify keyrings.
    package func publicKey(armored: Bool) async throws(SigningError) -> Data {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = scratch + "/key"
        let primary = try await resolvedOrLookedUp().fingerprint
        _ = try await gpg((armored ? ["--armor"] : ["--no-armor"]) + ["--output", output, "--export", "--", primary],
                          operation: "--export")
        guard let data = FileManager.default.contents(atPath: output), !data.isEmpty else {
            throw .keyNotFound(key: key, detail: "gpg exported no public key")
        }
        return data
    }

    private func signToFile(_ arguments: [String], input: String, operation: String) async throws(SigningError) -> Data {
        if let passphraseFile, !FileManager.default.isReadableFile(atPath: passphraseFile) {
            throw .passphraseFileUnreadable(path: passphraseFile)
        }
        // The exact (sub)key, '!' forbidding gpg to pick another: the key's algorithm and
        // creation time decide the signature's form and date.
        let signing = try await resolvedOrLookedUp()
        var timing: [String] = []
        if let signatureTime {
            // A signature older than its key is invalid to every verifier.
            timing = ["--faked-system-time", "\(max(signatureTime, signing.creationTime))!"]
        }
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = scratch + "/signature"
        var passphrase: [String] = []
        if let passphraseFile { passphrase = ["--pinentry-mode", "loopback", "--passphrase-file", passphraseFile] }
        // A gpg.conf asking for a Version or Comment armor header would make the bytes depend
        // on the machine.
        let canonical = ["--no-emit-version", "--no-comments"]
        _ = try await gpg(timing + passphrase + canonical + ["--local-user", signing.signingFingerprint + "!", "--output", output]
                          + arguments + ["--", input],
                          operation: operation)
        guard let data = FileManager.default.contents(atPath: output), !data.isEmpty else {
            throw .gpgFailed(operation: operation, status: 0, output: "no signature was written")
        }
        return data
    }

    private func resolvedOrLookedUp() async throws(SigningError) -> SigningKey {
        if let resolvedKey { return resolvedKey }
        return try await signingKey()
    }

    private func gpg(_ arguments: [String], operation: String,
                     mapFailure: ((String) -> SigningError)? = nil) async throws(SigningError) -> String {
        var environment = ProcessInfo.processInfo.environment
        if let homeDirectory { environment["GNUPGHOME"] = homeDirectory }
        guard ChildProcess.which("gpg", in: environment["PATH"]) != nil else { throw .gpgMissing }
        let process = ChildProcess(["gpg", "--batch", "--no-tty", "--yes"] + arguments, environment: environment)
        let result: (status: Int32, output: String)
        do { result = try await process.capture() } catch {
            if error == .cancelled { throw .cancelled }
            throw .gpgFailed(operation: operation, status: -1, output: error.description)
        }
        guard result.status == 0 else {
            throw mapFailure?(result.output) ?? .gpgFailed(operation: operation, status: result.status, output: result.output)
        }
        return result.output
    }

    /// A private directory for gpg's `--output`: signatures are read back from a file because
    /// the child's stdout and stderr arrive merged.
    private func scratchDirectory() throws(SigningError) -> String {
        var template = Array((NSTemporaryDirectory() + "/omnibus-gpg-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw .gpgFailed(operation: "output", status: -1, output: "cannot create a temporary directory")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
