import Digest
import Foundation
import Testing
@testable import Publishing

/// Every index a suite's Release lists says the same about a package, and says what the
/// repository computed, never what a package's control file claims.
@Suite(.serialized) struct AptIndexConsistencyTests {
    static let epoch = RepositoryTests.epoch

    @Test(.enabled(if: Command.which("dpkg-deb") != nil, "needs dpkg-deb"))
    func anArchitectureAllIndexStaysInStepWithTheOthers() async throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let host = try await #require(Command.run("dpkg", ["--print-architecture"]).text.split(separator: "\n").first.map(String.init))
        let common = try await Self.deb(in: base + "/a", name: "omnibus-common", architecture: "all")
        let tool = try await Self.deb(in: base + "/b", name: "omnibus-tool", architecture: host)
        let changed = try await Self.deb(in: base + "/c", name: "omnibus-common", architecture: "all", compression: "xz")
        let repository = base + "/apt"
        let options = RepositoryTests.aptOptions(repository)
        _ = try await AptRepository(options).publish([common], replace: false, epoch: Self.epoch, signer: nil)
        _ = try await AptRepository(options).publish([tool], replace: false, epoch: Self.epoch, signer: nil)
        _ = try await AptRepository(options).publish([changed], replace: true, epoch: Self.epoch, signer: nil)

        let suite = repository + "/dists/stable"
        let release = try #require(try ControlStanza.parseAll(String(contentsOfFile: suite + "/Release", encoding: .utf8)).first)
        let listed = try #require(release["SHA256"]).split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let expected = try Digests.hex(.sha256, ofFile: changed)
        for entry in listed where entry.count == 3 {
            let path = suite + "/" + entry[2]
            // What the Release signs is what is on disk.
            #expect(try Digests.hex(.sha256, ofFile: path) == String(entry[0]), "\(entry[2]) does not match the Release")
            guard entry[2].hasSuffix("/Packages") else { continue }
            let stanzas = try ControlStanza.parseAll(String(contentsOfFile: path, encoding: .utf8))
            for stanza in stanzas where stanza["Package"] == "omnibus-common" {
                #expect(stanza["SHA256"] == expected, "\(entry[2]) still lists the replaced omnibus-common")
            }
        }
        #expect(listed.contains { $0.count == 3 && $0[2] == "main/binary-\(host)/Packages" })
    }

    @Test(.enabled(if: Command.which("dpkg-deb") != nil, "needs dpkg-deb"))
    func repositoryFieldsInAControlFileAreNotCopied() async throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let claims = "Filename: ../../evil.deb\nSize: 1\nMD5sum: 00\nSHA1: 00\nSHA256: 00\nSHA512: 00\n"
        let deb = try await Self.deb(in: base + "/a", name: "omnibus-claims", architecture: "all", extra: claims)
        let repository = base + "/apt"
        _ = try await AptRepository(RepositoryTests.aptOptions(repository)).publish([deb], replace: false, epoch: Self.epoch, signer: nil)
        let stanza = try #require(try ControlStanza.parseAll(String(contentsOfFile: repository + "/dists/stable/main/binary-all/Packages",
                                                                   encoding: .utf8)).first)
        for field in ["Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512"] {
            #expect(stanza.fields.filter { $0.name.lowercased() == field.lowercased() }.count == (field == "SHA1" ? 0 : 1),
                    "\(field) appears as the control file claims:\n\(stanza.text)")
        }
        #expect(stanza["Filename"] == "pool/main/o/omnibus-claims/omnibus-claims_1.0_all.deb")
        #expect(stanza["Size"] == String(RepositoryFiles.size(of: deb)))
        #expect(stanza["SHA256"] == (try Digests.hex(.sha256, ofFile: deb)))
    }

    // MARK: - helpers

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/aptidx-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A minimal deb made by dpkg-deb itself, so its control file says exactly what the test wants.
    static func deb(in directory: String, name: String, architecture: String, compression: String = "gzip",
                    extra: String = "") async throws -> String {
        let root = directory + "/root"
        try FileManager.default.createDirectory(atPath: root + "/DEBIAN", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/usr/share/\(name)", withIntermediateDirectories: true)
        try Data("\(name)\n".utf8).write(to: URL(fileURLWithPath: root + "/usr/share/\(name)/README"))
        let control = "Package: \(name)\nVersion: 1.0\nArchitecture: \(architecture)\nMaintainer: Omnibus Tests <t@example.com>\n"
            + extra + "Description: test package\n"
        try Data(control.utf8).write(to: URL(fileURLWithPath: root + "/DEBIAN/control"))
        let output = directory + "/\(name)_1.0_\(architecture).deb"
        let built = try await Command.run("dpkg-deb", ["--root-owner-group", "-Z", compression, "--build", root, output],
                                    environment: ["SOURCE_DATE_EPOCH": String(epoch), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        guard built.succeeded else { throw FixtureError(message: "dpkg-deb: \(built.error)") }
        return output
    }
}
