import Archive
import Digest
import Foundation
import OmnibusKit
import Testing
@testable import Packaging

/// Signed packages, judged by the tools users verify them with: `rpm -K` and `rpm -i` under
/// `_pkgverify_level signature`, `debsig-verify` under a policy, `gpg --verify`.
@Suite struct SignedPackageTests {
    static let hasRPM = TestKeyring.hasGPG && Command.which("rpm") != nil && Command.which("rpmkeys") != nil
    static let hasDebsig = TestKeyring.hasGPG && Command.which("debsig-verify") != nil && Command.which("dpkg-deb") != nil

    /// A temporary directory for one test.
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/signed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(.enabled(if: hasRPM, "gpg, rpm or rpmkeys is not installed"), arguments: ["ed25519", "rsa3072"])
    func rpmChecksBothSignaturesWithTheKeyImported(algorithm: String) async throws {
        let keyring = try await TestKeyring.make(algorithm)
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try await fixture.buildSigned(RPMPackager(), with: keyring)
        let database = fixture.base + "/rpmdb"
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)

        // Without the key: the signatures are there, but rpm cannot check them.
        let unknown = try await Command.run("rpm", ["--dbpath", database, "-Kv", built.path])
        #expect(!unknown.succeeded && unknown.text.contains("NOKEY"), "\(unknown.text)\(unknown.error)")

        try await keyring.exportPublicKey(to: fixture.base + "/key.asc", armored: true)
        let imported = try await Command.run("rpmkeys", ["--dbpath", database, "--import", fixture.base + "/key.asc"])
        #expect(imported.succeeded, "\(imported.error)")
        let check = try await Command.run("rpm", ["--dbpath", database, "-K", built.path])
        #expect(check.succeeded && check.text.hasSuffix(": digests signatures OK\n"), "\(check.text)\(check.error)")
        let verbose = try await Command.run("rpm", ["--dbpath", database, "-Kv", built.path]).text
        let name = algorithm == "ed25519" ? "EdDSA" : "RSA"
        let keyID = keyring.fingerprint.suffix(8).lowercased()
        #expect(verbose.contains("Header V4 \(name)/SHA256 Signature, key ID \(keyID): OK"), "\(verbose)")
        // The header+payload (v3) signature, which rpm before 4.14 relies on.
        #expect(verbose.contains("\n    V4 \(name)/SHA256 Signature, key ID \(keyID): OK"), "\(verbose)")
        #expect(verbose.contains("Header SHA256 digest: OK") && verbose.contains("MD5 digest: OK"), "\(verbose)")

        // rpm 6's OPENPGP tag holds the header signature, base64 on one line.
        let file = try #require(FileHandle(forReadingAtPath: built.path))
        defer { try? file.close() }
        let signature = try RPMHeaderReader.decode(try RPMFileLayout(reading: file, path: built.path).signatureHeader)
        let headerTag = algorithm == "ed25519" ? RPMSignatureTag.dsaHeader : RPMSignatureTag.rsaHeader
        guard case .binary(let headerSignature) = signature[headerTag],
              case .stringArray(let openPGP) = signature[RPMSignatureTag.openPGP] else {
            Issue.record("the signature header lacks tag \(headerTag) or 278")
            return
        }
        #expect(openPGP == [Data(headerSignature).base64EncodedString()])
        #expect(signature[algorithm == "ed25519" ? RPMSignatureTag.gpg : RPMSignatureTag.pgp] != nil)
    }

    static let canInstall = hasRPM && Command.isRoot

    @Test(.enabled(if: canInstall, "needs root, gpg and rpm"))
    func rpmInstallsUnderSignatureLevelOnlyWithTheKey() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let built = try await PackageWriter.write(RPMPackager(), contents: try fixture.contents(info), info: info,
                                                  outputDirectory: fixture.base + "/out", signer: try await keyring.signer())
        try await keyring.exportPublicKey(to: fixture.base + "/key.asc", armored: true)
        func install(into root: String) async throws -> CommandResult {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            // No shell in the empty root, so no scriptlets; the signature check comes first anyway.
            return try await Command.run("rpm", ["-i", "--root", root, "--define", "_pkgverify_level signature",
                                           "--nodeps", "--noscripts", built.path])
        }
        let without = try await install(into: fixture.base + "/root-without-key")
        #expect(!without.succeeded, "installed although the key is not trusted: \(without.text)")
        #expect(without.error.contains("does not verify") && without.error.contains("NOKEY"), "\(without.error)")

        let trusting = fixture.base + "/root-with-key"
        try FileManager.default.createDirectory(atPath: trusting, withIntermediateDirectories: true)
        #expect(try await Command.run("rpmkeys", ["--root", trusting, "--import", fixture.base + "/key.asc"]).succeeded)
        let with = try await install(into: trusting)
        #expect(with.succeeded, "\(with.text)\(with.error)")
        #expect(FileManager.default.fileExists(atPath: trusting + fixture.installDir + "/bin/\(fixture.name)"))

        // The same package unsigned is refused even where the key is trusted (rpm 6's default).
        let unsigned = try PackageWriter.write(RPMPackager(), contents: try fixture.contents(info), info: info,
                                               outputDirectory: fixture.base + "/unsigned")
        let refused = try await Command.run("rpm", ["-i", "--root", fixture.base + "/root-with-key", "--define", "_pkgverify_level signature",
                                              "--nodeps", "--noscripts", "--replacepkgs", unsigned.path])
        #expect(!refused.succeeded && refused.error.contains("does not verify: no signature"), "\(refused.error)")
    }

    /// A debsig-verify policy trusting exactly this key, in directories of the test's own.
    static func debsigPolicy(for keyring: TestKeyring, in base: String) async throws -> [String] {
        let policies = base + "/policies/" + keyring.fingerprint
        let keyrings = base + "/keyrings/" + keyring.fingerprint
        for directory in [policies, keyrings] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try await keyring.exportPublicKey(to: keyrings + "/omnibus.gpg", armored: false)
        try Data("""
            <?xml version="1.0"?>
            <!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">
            <Policy xmlns="https://www.debian.org/debsig/1.0/">
              <Origin Name="omnibus-test" id="\(keyring.fingerprint)" Description="omnibus test packages"/>
              <Selection>
                <Required Type="origin" File="omnibus.gpg" id="\(keyring.fingerprint)"/>
              </Selection>
              <Verification MinOptional="0">
                <Required Type="origin" File="omnibus.gpg" id="\(keyring.fingerprint)"/>
              </Verification>
            </Policy>

            """.utf8).write(to: URL(fileURLWithPath: policies + "/omnibus.pol"))
        return ["--policies-dir", base + "/policies", "--keyrings-dir", base + "/keyrings"]
    }

    @Test(.enabled(if: hasDebsig, "gpg, dpkg-deb or debsig-verify is not installed"),
          arguments: [ArchiveCompression.Algorithm.gzip, .xz, .zstd])
    func debsigVerifyAcceptsTheDebAndRejectsAnAlteredOne(algorithm: ArchiveCompression.Algorithm) async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let packager = DebPackager(compression: ArchiveCompression(algorithm))
        let built = try await PackageWriter.write(packager, contents: try fixture.contents(info), info: info,
                                                  outputDirectory: fixture.base + "/out", signer: try await keyring.signer())
        let options = try await Self.debsigPolicy(for: keyring, in: fixture.base)
        let verified = try await Command.run("debsig-verify", options + [built.path])
        #expect(verified.succeeded, "\(verified.text)\(verified.error)")

        // dpkg still reads the package: `_` members are skipped.
        let contents = try await Command.run("dpkg-deb", ["--contents", built.path])
        #expect(contents.succeeded && contents.text.contains("./opt/\(fixture.name)/bin/\(fixture.name)"), "\(contents.error)")

        // One byte of data.tar changed: debsig-verify checks the member bytes, not the archive.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: built.path))
        let file = try #require(FileHandle(forReadingAtPath: built.path))
        let members = try DebSignature.members(of: file, path: built.path)
        try file.close()
        let data = try #require(members.first { $0.name.hasPrefix("data.tar") })
        let index = Int(data.dataOffset + data.size / 2)
        bytes[index] ^= 0x01
        let altered = fixture.base + "/altered.deb"
        try bytes.write(to: URL(fileURLWithPath: altered))
        let rejected = try await Command.run("debsig-verify", options + [altered])
        #expect(!rejected.succeeded, "an altered deb verified: \(rejected.text)")

        // A key that is not in the policy does not verify either.
        let stranger = try await TestKeyring.make()
        defer { stranger.remove() }
        let strangerOptions = try await Self.debsigPolicy(for: stranger, in: fixture.base + "/stranger")
        #expect(!(try await Command.run("debsig-verify", strangerOptions + [built.path])).succeeded)
    }

    @Test(.enabled(if: TestKeyring.hasGPG, "gpg is not installed"))
    func tarGetsADetachedArmoredSignatureListedInTheMetadata() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let built = try await fixture.buildSigned(TarPackager(), with: keyring)
        let signature = try #require(built.signaturePath)
        #expect(signature == built.path + ".asc")
        let text = try String(contentsOfFile: signature, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PGP SIGNATURE-----\n") && !text.contains("Version:"), "\(text)")
        let verified = try await keyring.gpg(["--verify", signature, built.path])
        #expect(verified.error.contains("Good signature"), "\(verified.error)")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: built.metadataPath))) as? [String: Any])
        #expect(json["signature_file"] as? String == URL(fileURLWithPath: signature).lastPathComponent)
        #expect(json["signing_key"] as? String == keyring.fingerprint)
        // No scratch file is left beside the package.
        let listing = try FileManager.default.contentsOfDirectory(atPath: fixture.base + "/out").sorted()
        let base = URL(fileURLWithPath: built.path).lastPathComponent
        #expect(listing == [base, base + ".asc", base + ".metadata.json"])
    }

    static let formats: [any Packager] = [DebPackager(), RPMPackager(), TarPackager()]

    /// The metadata describes the signed file on disk, and signing only adds to the unsigned bytes.
    @Test(.enabled(if: TestKeyring.hasGPG, "gpg is not installed"))
    func metadataMatchesTheSignedFileAndSigningOnlyAdds() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        let signer = try await keyring.signer()
        for packager in Self.formats {
            let format = type(of: packager).name
            let signed = try await PackageWriter.write(packager, contents: contents, info: info,
                                                       outputDirectory: fixture.base + "/signed-\(format)", signer: signer)
            let unsigned = try PackageWriter.write(packager, contents: contents, info: info,
                                                   outputDirectory: fixture.base + "/unsigned-\(format)")
            let signedBytes = try Data(contentsOf: URL(fileURLWithPath: signed.path))
            let unsignedBytes = try Data(contentsOf: URL(fileURLWithPath: unsigned.path))
            #expect(signed.metadata.sha256 == (try Digests.hex(.sha256, ofFile: signed.path)), "\(format)")
            #expect(signed.metadata.sha512 == (try Digests.hex(.sha512, ofFile: signed.path)), "\(format)")
            #expect(signed.metadata.size == Int64(signedBytes.count), "\(format)")
            #expect(signed.metadata.signingKey == keyring.fingerprint)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: signed.metadataPath))) as? [String: Any])
            #expect(json["sha256"] as? String == signed.metadata.sha256)
            switch format {
            case "deb":
                // The members before `_gpgorigin` are the unsigned package, byte for byte.
                #expect(signedBytes.prefix(unsignedBytes.count) == unsignedBytes)
                #expect(signedBytes.count > unsignedBytes.count)
            case "rpm":
                // Lead, then (after the grown signature header) the same header and payload.
                #expect(signedBytes.prefix(96) == unsignedBytes.prefix(96))
                let file = try #require(FileHandle(forReadingAtPath: unsigned.path))
                let headerOffset = Int(try RPMFileLayout(reading: file, path: unsigned.path).headerOffset)
                try file.close()
                #expect(signedBytes.suffix(unsignedBytes.count - headerOffset) == unsignedBytes.suffix(from: headerOffset))
            default:
                #expect(signedBytes == unsignedBytes)
                #expect(signed.signaturePath != nil)
            }
        }
    }

    /// EdDSA and RSA signatures dated at the build's epoch: the same inputs give the same bytes,
    /// signature files and metadata included.
    @Test(.enabled(if: TestKeyring.hasGPG, "gpg is not installed"), arguments: ["ed25519", "rsa3072"])
    func signedPackagesAreByteIdenticalAcrossRuns(algorithm: String) async throws {
        let keyring = try await TestKeyring.make(algorithm)
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        for packager in Self.formats {
            var outputs: [BuiltPackage] = []
            for run in 1...2 {
                // A new signer each time, as a new run would make.
                outputs.append(try await PackageWriter.write(packager, contents: contents, info: info,
                                                             outputDirectory: fixture.base + "/run\(run)/deeper", signer: try await keyring.signer()))
            }
            for path in [\BuiltPackage.path, \BuiltPackage.metadataPath] {
                #expect(try Data(contentsOf: URL(fileURLWithPath: outputs[0][keyPath: path]))
                        == (try Data(contentsOf: URL(fileURLWithPath: outputs[1][keyPath: path]))), "\(outputs[0][keyPath: path])")
            }
            if let first = outputs[0].signaturePath, let second = outputs[1].signaturePath {
                #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == (try Data(contentsOf: URL(fileURLWithPath: second))))
            }
        }
    }

    /// A signature changes only what it must in the linters' findings: lintian names the extra
    /// deb member; rpmlint reports an unknown key instead of a missing signature.
    @Test(.enabled(if: TestKeyring.hasGPG && DebTests.hasLintian && RPMTests.hasRPMLint, "gpg, lintian or rpmlint is not installed"))
    func lintersSeeOnlyTheSignature() async throws {
        let keyring = try await TestKeyring.make()
        defer { keyring.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let info = fixture.info()
        let contents = try fixture.contents(info)
        let signer = try await keyring.signer()
        func findings(_ result: CommandResult, field: Int) -> Set<String> {
            Set(result.text.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard fields.count > field, ["E:", "W:"].contains(fields[field - 1]) || line.dropFirst().hasPrefix(": ") else { return nil }
                return String(fields[field])
            })
        }
        let deb = try await PackageWriter.write(DebPackager(compression: ArchiveCompression(.xz)), contents: contents, info: info,
                                                outputDirectory: fixture.base + "/deb", signer: signer)
        let lintian = try await Command.run("lintian", ["--tag-display-limit", "0", deb.path])
        #expect(findings(lintian, field: 2) == DebTests.expectedLintianTags.union(["misplaced-extra-member-in-deb"]),
                "lintian said:\n\(lintian.text)\(lintian.error)")

        let rpm = try await PackageWriter.write(RPMPackager(compression: ArchiveCompression(.xz), vendor: "Example Inc.",
                                                            group: "Applications/System"),
                                                contents: contents, info: info, outputDirectory: fixture.base + "/rpm", signer: signer)
        let rpmlint = try await Command.run("rpmlint", [rpm.path])
        // rpmlint checks the signature against this machine's rpm database, which lacks the test key.
        #expect(findings(rpmlint, field: 2) == RPMTests.expectedRPMLintFindings.subtracting(["no-signature"]).union(["unknown-key"]),
                "rpmlint said:\n\(rpmlint.text)\(rpmlint.error)")
    }
}
