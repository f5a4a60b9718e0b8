import Foundation
import Testing

enum SigningTools {
    static let installed = ["gpg", "gpgconf", "rpm", "rpmkeys"].allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}

/// Signing through the `omnibus` binary: the key from the config, the environment or the flag;
/// an unusable key stops the run before any build work.
@Suite(.enabled(if: SigningTools.installed, "gpg, gpgconf, rpm or rpmkeys is not installed"))
struct SigningBuildTests {
    /// A GnuPG home (short path: the agent's socket is inside) with one ed25519 signing key.
    struct Keyring {
        let home: String
        let fingerprint: String

        init() async throws {
            var template = Array("/tmp/gb-XXXXXX".utf8CString)
            _ = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            home = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let made = try await CommandResult.run(["gpg", "--batch", "--homedir", home, "--passphrase", "", "--quick-gen-key",
                                              "Omnibus Build Test <b@example.com>", "ed25519", "sign", "never"])
            guard made.status == 0 else { throw KeyringError(message: made.stderr) }
            let listing = try await CommandResult.run(["gpg", "--batch", "--homedir", home, "--with-colons", "--list-secret-keys"]).stdout
            fingerprint = listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }
                .map { String($0.split(separator: ":", omittingEmptySubsequences: false)[9]) } ?? ""
        }

        func remove() {
            _ = try? CommandResult.runBriefly(["gpgconf", "--homedir", home, "--kill", "all"])
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    struct KeyringError: Error { let message: String }

    func repository(_ label: String) throws -> TestRepository {
        let repo = try TestRepository(label)
        try repo.localSoftware("thing", steps: [#"mkdir: "{{embedded}}/share""#])
        try repo.project(dependencies: ["thing"])
        return repo
    }

    static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]

    @Test func buildSignsWithTheConfiguredKeyAndPackageAgreesByteForByte() async throws {
        let keyring = try await Keyring()
        defer { keyring.remove() }
        let repo = try repository("signed")
        try repo.write("omnibus.config.yml", "signing:\n  key: \(keyring.fingerprint)\n  gnupg_home: \(keyring.home)\n")
        let build = try await repo.omnibus(["build", "app"], environment: Self.epoch)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")

        let output = repo.root + "/pkg"
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        let rpm = try #require(files.first { $0.hasSuffix(".rpm") })
        let tar = try #require(files.first { $0.hasSuffix(".tar.gz") })
        #expect(files.contains(tar + ".asc"), "\(files)")
        let metadata = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: output + "/" + rpm + ".metadata.json"))) as? [String: Any])
        #expect(metadata["signing_key"] as? String == keyring.fingerprint)

        // rpm trusts the package once the key is imported.
        let database = repo.root + "/../rpmdb"
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)
        let exported = try await CommandResult.run(["gpg", "--batch", "--homedir", keyring.home, "--armor", "--output",
                                              database + "/key.asc", "--export", keyring.fingerprint])
        #expect(exported.status == 0)
        #expect(try await CommandResult.run(["rpmkeys", "--dbpath", database, "--import", database + "/key.asc"]).status == 0)
        let check = try await CommandResult.run(["rpm", "--dbpath", database, "-K", output + "/" + rpm])
        #expect(check.status == 0 && check.stdout.hasSuffix("digests signatures OK\n"), "\(check.stdout)\(check.stderr)")
        let verified = try await CommandResult.run(["gpg", "--batch", "--homedir", keyring.home, "--verify",
                                              output + "/" + tar + ".asc", output + "/" + tar])
        #expect(verified.status == 0, "\(verified.stderr)")

        var before: [String: Data] = [:]
        for file in files { before[file] = try Data(contentsOf: URL(fileURLWithPath: output + "/" + file)) }

        // `package`, the key from the environment this time (GNUPGHOME as gpg reads it): same bytes.
        try repo.write("omnibus.config.yml", "\n")
        let again = try await repo.omnibus(["package", "app"], environment: Self.epoch.merging(
            ["OMNIBUS_SIGNING_KEY": keyring.fingerprint, "GNUPGHOME": keyring.home]) { $1 })
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        for file in files {
            #expect(try Data(contentsOf: URL(fileURLWithPath: output + "/" + file)) == before[file], "\(file) differs")
        }

        // --no-sign: the unsigned packages, and no stale signature beside them.
        let unsigned = try await repo.omnibus(["package", "app", "--no-sign"], environment: Self.epoch.merging(
            ["OMNIBUS_SIGNING_KEY": keyring.fingerprint, "GNUPGHOME": keyring.home]) { $1 })
        #expect(unsigned.status == 0, "\(unsigned.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(!left.contains { $0.hasSuffix(".asc") }, "\(left)")
        let plain = try String(contentsOfFile: output + "/" + rpm + ".metadata.json", encoding: .utf8)
        #expect(!plain.contains("signing_key"))
        let unsignedCheck = try await CommandResult.run(["rpm", "--dbpath", database, "-K", output + "/" + rpm])
        #expect(unsignedCheck.stdout.hasSuffix(": digests OK\n"), "\(unsignedCheck.stdout)")
    }

    @Test func anUnknownKeyStopsTheBuildBeforeItStarts() async throws {
        let keyring = try await Keyring()
        defer { keyring.remove() }
        let repo = try repository("unknown-key")
        let build = try await repo.omnibus(["build", "app", "--signing-key", "nobody@example.com"],
                                     environment: ["GNUPGHOME": keyring.home])
        #expect(build.status == 2, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("signing key 'nobody@example.com'"), "\(build.stderr)")
        #expect(build.stderr.contains("gpg --list-secret-keys") && build.stderr.contains("--signing-key"), "\(build.stderr)")
        // Nothing was built: no install dir, no logs, no packages.
        #expect(!FileManager.default.fileExists(atPath: repo.installDir))
        #expect(!FileManager.default.fileExists(atPath: repo.workDir + "/app/logs"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/pkg"))

        let contradiction = try await repo.omnibus(["package", "app", "--signing-key", keyring.fingerprint, "--no-sign"])
        #expect(contradiction.status != 0 && contradiction.stderr.contains("--signing-key and --no-sign"), "\(contradiction.stderr)")
    }
}
