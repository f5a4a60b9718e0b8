import Foundation
import Signing

/// A throwaway GnuPG home with one ed25519 signing key, in a short path (the agent's socket
/// lives inside it). `remove()` stops the agent and deletes the home.
struct TestSigningKey {
    let home: String
    let fingerprint: String

    static var available: Bool { Command.which("gpg") != nil && Command.which("gpgconf") != nil }

    static func make() throws -> TestSigningKey {
        let home = "/tmp/gk" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let environment = ProcessInfo.processInfo.environment.merging(["GNUPGHOME": home]) { $1 }
        let made = try Command.run("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Omnibus Test <t@example.com>",
                                           "ed25519", "sign", "never"], environment: environment)
        guard made.succeeded else { throw FixtureError(message: "gpg --quick-gen-key: \(made.error)") }
        let listing = try Command.run("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: environment)
        guard let line = listing.text.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }) else {
            throw FixtureError(message: "gpg listed no fingerprint: \(listing.text)")
        }
        return TestSigningKey(home: home, fingerprint: String(line.split(separator: ":", omittingEmptySubsequences: false)[9]))
    }

    var environment: [String: String] { ProcessInfo.processInfo.environment.merging(["GNUPGHOME": home]) { $1 } }

    func signer(at time: Int64? = nil) -> GPGSigner {
        GPGSigner(key: fingerprint, homeDirectory: home, signatureTime: time)
    }

    func remove() {
        _ = try? Command.run("gpgconf", ["--kill", "all"], environment: environment)
        try? FileManager.default.removeItem(atPath: home)
    }
}

/// Every file of a directory tree with its bytes, to compare two repositories or one before and after.
enum TreeBytes {
    static func of(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in (FileManager.default.subpaths(atPath: root) ?? []) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
        }
        return files
    }
}
