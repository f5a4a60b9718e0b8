import Foundation
import Testing
@testable import Packaging
@testable import Publishing
import Signing

/// A publish that stops half way (gpg failing, an interrupt, a missing index, a bad package in a
/// `--replace`) leaves the repository as a reader last saw it, and the next publish repairs it.
@Suite(.serialized) struct RepositoryRepairTests {
    static let epoch = RepositoryTests.epoch

    @Test(.enabled(if: TestKeyring.hasGPG && AptClient.available, "needs gpg and apt-get"))
    func aRetryAfterSigningFailedSignsWhatIsPublished() async throws {
        let key = try await TestKeyring.make()
        defer { key.remove() }
        let pair = try await RepositoryTests.PackagePair()
        defer { pair.remove() }
        let (first, second, debA, rpmA, debB, rpmB) = (pair.first, pair.second, pair.debA, pair.rpmA, pair.debB, pair.rpmB)
        let good = RepositorySigner(key.repositorySigner())
        // The key is usable (the check before any write passes); gpg's signing itself fails,
        // after the packages and indexes were written, as it does when the passphrase is gone.
        let failing = RepositorySigner(GPGSigner(key: key.fingerprint, passphraseFile: first.base + "/passphrase-gone",
                                                 homeDirectory: key.home))

        var trees: [String: [String: Data]] = [:]
        for run in ["clean", "retried"] {
            let apt = first.base + "/\(run)/apt", yum = first.base + "/\(run)/yum"
            let options = RepositoryTests.aptOptions(apt)
            _ = try await AptRepository(options).publish([debA.path], replace: false, epoch: Self.epoch, signer: good)
            _ = try await YumRepository(path: yum).publish([rpmA.path], replace: false, epoch: Self.epoch, signer: good)
            if run == "retried" {
                await #expect(throws: PublishError.self) {
                    _ = try await AptRepository(options).publish([debB.path], replace: false, epoch: Self.epoch + 60, signer: failing)
                }
                await #expect(throws: PublishError.self) {
                    _ = try await YumRepository(path: yum).publish([rpmB.path], replace: false, epoch: Self.epoch + 60, signer: failing)
                }
            }
            let aptB = try await AptRepository(options).publish([debB.path], replace: false, epoch: Self.epoch + 60, signer: good)
            let yumB = try await YumRepository(path: yum).publish([rpmB.path], replace: false, epoch: Self.epoch + 60, signer: good)
            #expect(aptB.indexesWritten && yumB.indexesWritten, "\(run): the retry left the repository as the failed run did")
            trees[run] = TreeBytes.of(first.base + "/\(run)")
        }
        let clean = try #require(trees["clean"]), retried = try #require(trees["retried"])
        let differing = Set(clean.keys).union(retried.keys).filter { clean[$0] != retried[$0] }.sorted()
        #expect(differing.isEmpty, "the repaired repository differs from one published without a failure in \(differing)")

        let apt = first.base + "/retried/apt", yum = first.base + "/retried/yum"
        for (signature, signed) in [(apt + "/dists/stable/Release.gpg", apt + "/dists/stable/Release"),
                                    (yum + "/repodata/repomd.xml.asc", yum + "/repodata/repomd.xml")] {
            await #expect(throws: Never.self, "\(signature) does not sign \(signed)") { try await key.gpg(["--verify", signature, signed]) }
        }
        let inRelease = try await key.gpg(["--output", "-", "--decrypt", apt + "/dists/stable/InRelease"]).text
        #expect(inRelease == (try String(contentsOfFile: apt + "/dists/stable/Release", encoding: .utf8)))

        let client = try AptClient(repository: apt, key: apt + "/key.asc")
        defer { client.remove() }
        let update = try await client.run(["update"])
        #expect(update.succeeded && !(update.text + update.error).contains("W:"), "\(update.text)\(update.error)")
        let install = try await client.run(["install", "--download-only", "-y", second.name])
        #expect(install.succeeded && install.text.contains("\(second.name) amd64 1.4.2-1"), "\(install.text)\(install.error)")
    }

    /// A stop between two renames of the switch (InRelease or repomd.xml not yet renamed) is
    /// what an interrupt leaves; publishing the same packages again finishes the switch.
    @Test(.enabled(if: TestKeyring.hasGPG, "needs gpg"))
    func aRetryAfterAStopBetweenTheRenamesFinishesTheSwitch() async throws {
        let key = try await TestKeyring.make()
        defer { key.remove() }
        let first = try await Fixture.make()
        defer { first.remove() }
        let debA = try first.build(DebPackager(), info: RepositoryTests.info(first, version: "1.0"))
        let debB = try first.build(DebPackager(), info: RepositoryTests.info(first, version: "2.0"))
        let rpmA = try first.build(RPMPackager(), info: RepositoryTests.info(first, version: "1.0"))
        let rpmB = try first.build(RPMPackager(), info: RepositoryTests.info(first, version: "2.0"))
        let signer = RepositorySigner(key.repositorySigner())
        let apt = first.base + "/site/apt", yum = first.base + "/site/yum"
        let options = RepositoryTests.aptOptions(apt)
        _ = try await AptRepository(options).publish([debA.path], replace: false, epoch: Self.epoch, signer: signer)
        _ = try await YumRepository(path: yum).publish([rpmA.path], replace: false, epoch: Self.epoch, signer: signer)
        let oldInRelease = try Data(contentsOf: URL(fileURLWithPath: apt + "/dists/stable/InRelease"))
        let oldRepomd = try Data(contentsOf: URL(fileURLWithPath: yum + "/repodata/repomd.xml"))
        _ = try await AptRepository(options).publish([debB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
        _ = try await YumRepository(path: yum).publish([rpmB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
        let complete = TreeBytes.of(first.base + "/site")

        // Release.gpg and Release renamed, InRelease not; repomd.xml.asc renamed, repomd.xml not.
        try oldInRelease.write(to: URL(fileURLWithPath: apt + "/dists/stable/InRelease"))
        try oldRepomd.write(to: URL(fileURLWithPath: yum + "/repodata/repomd.xml"))
        let aptAgain = try await AptRepository(options).publish([debB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
        let yumAgain = try await YumRepository(path: yum).publish([rpmB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
        #expect(aptAgain.unchanged.count == 1 && aptAgain.indexesWritten && yumAgain.unchanged.count == 1 && yumAgain.indexesWritten)
        let repaired = TreeBytes.of(first.base + "/site")
        let differing = Set(complete.keys).union(repaired.keys).filter { complete[$0] != repaired[$0] }.sorted()
        #expect(differing.isEmpty, "the retry did not finish the switch: \(differing)")
    }

    @Test func anAptIndexIsReadFromItsCompressedFormAndAMissingOneIsAnError() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let old = try fixture.build(DebPackager(), info: RepositoryTests.info(fixture, version: "1.0"))
        let new = try fixture.build(DebPackager(), info: RepositoryTests.info(fixture, version: "2.0"))
        let repository = fixture.base + "/apt"
        let options = RepositoryTests.aptOptions(repository)
        _ = try await AptRepository(options).publish([old.path], replace: false, epoch: Self.epoch, signer: nil)
        let binary = repository + "/dists/stable/main/binary-" + (try RepositoryTests.debArchitecture(old.path))
        // Synced without the plain index, as hosts that keep only the compressed ones are.
        try FileManager.default.removeItem(atPath: binary + "/Packages")
        _ = try await AptRepository(options).publish([new.path], replace: false, epoch: Self.epoch, signer: nil)
        let listed = try ControlStanza.parseAll(String(contentsOfFile: binary + "/Packages", encoding: .utf8)).compactMap { $0["Version"] }
        #expect(listed.sorted() == ["1.0-1", "2.0-1"], "the published 1.0 was dropped from the index")

        for name in ["Packages", "Packages.gz", "Packages.xz"] { try FileManager.default.removeItem(atPath: binary + "/" + name) }
        let before = TreeBytes.of(repository)
        let third = try fixture.build(DebPackager(), info: RepositoryTests.info(fixture, version: "3.0"))
        let error = await #expect(throws: PublishError.self) {
            _ = try await AptRepository(options).publish([third.path], replace: false, epoch: Self.epoch, signer: nil)
        }
        guard case .damagedIndex(let path, _) = error else {
            Issue.record("expected a damaged index, got \(String(describing: error))")
            return
        }
        #expect(path.hasPrefix(binary))
        #expect(TreeBytes.of(repository) == before)
    }

    @Test func yumKeepsThePreviousIndexesAndRemovesAReplacedRpmOnlyAfterTheSwitch() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let repository = fixture.base + "/yum"
        let rpms = try ["1.0", "2.0", "3.0"].map { try fixture.build(RPMPackager(), info: RepositoryTests.info(fixture, version: $0)) }
        var generations: [Set<String>] = []
        for rpm in rpms {
            _ = try await YumRepository(path: repository).publish([rpm.path], replace: false, epoch: Self.epoch, signer: nil)
            generations.append(try RepositoryTests.namedIndexes(repository))
        }
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: repository + "/repodata").filter { $0.hasSuffix(".xml.gz") })
        // A client that read the second repomd.xml while the third was synced still finds its indexes.
        #expect(onDisk == generations[1].union(generations[2]), "\(onDisk.sorted())")
        #expect(generations[0].isDisjoint(with: onDisk))

        // 1.0 published under another file name; its replacement fails on a later, unreadable rpm.
        let legacy = repository + "/legacy.rpm"
        let canonical = try #require(try FileManager.default.contentsOfDirectory(atPath: repository).first { $0.contains("-1.0-") })
        try FileManager.default.moveItem(atPath: repository + "/" + canonical, toPath: legacy)
        let four = try fixture.build(RPMPackager(), info: RepositoryTests.info(fixture, version: "4.0"))
        _ = try await YumRepository(path: repository).publish([four.path], replace: false, epoch: Self.epoch, signer: nil)
        await #expect(try RepositoryTests.document("primary", of: repository).contains("<location href=\"legacy.rpm\"/>"))
        let changed = try fixture.build(RPMPackager(compression: .init(.xz)), info: RepositoryTests.info(fixture, version: "1.0"),
                                        output: fixture.base + "/changed")
        let broken = fixture.base + "/broken.rpm"
        try Data("not an rpm".utf8).write(to: URL(fileURLWithPath: broken))
        let before = TreeBytes.of(repository)
        await #expect(throws: PublishError.self) {
            _ = try await YumRepository(path: repository).publish([changed.path, broken], replace: true, epoch: Self.epoch, signer: nil)
        }
        #expect(FileManager.default.fileExists(atPath: legacy), "the rpm the live index names was deleted by a publish that failed")
        #expect(TreeBytes.of(repository) == before)

        let replaced = try await YumRepository(path: repository).publish([changed.path], replace: true, epoch: Self.epoch, signer: nil)
        #expect(replaced.replaced == [canonical] && replaced.indexesWritten)
        #expect(!FileManager.default.fileExists(atPath: legacy))
        let primary = try await RepositoryTests.document("primary", of: repository)
        #expect(!primary.contains("legacy.rpm") && primary.contains("<location href=\"\(canonical)\"/>"), "\(primary)")
    }
}
