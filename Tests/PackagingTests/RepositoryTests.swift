import Archive
import Digest
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Packaging
@testable import Publishing

/// apt and dnf install from the repositories `Publishing` writes, refuse them when tampered
/// with, and the indexes agree field by field with what reprepro, dpkg-scanpackages and
/// createrepo_c write for the same packages.
@Suite(.serialized) struct RepositoryTests {
    static let epoch: Int64 = 1_700_000_000

    /// A package with no dependencies and no scripts, so an empty dnf root can install it.
    static func info(_ fixture: Fixture, version: String = "1.4.2") -> PackageInfo {
        var info = fixture.info(version: version, scripts: [:], epoch: epoch)
        info.runtimeDependencies = []
        return info
    }

    /// Two packages, A and B (a deb and an rpm of each), for a repository to take one after the other.
    struct PackagePair {
        let first: Fixture, second: Fixture
        let debA: BuiltPackage, rpmA: BuiltPackage, debB: BuiltPackage, rpmB: BuiltPackage

        init() async throws {
            first = try await Fixture.make()
            second = try await Fixture.make()
            debA = try first.build(DebPackager(), info: RepositoryTests.info(first))
            rpmA = try first.build(RPMPackager(), info: RepositoryTests.info(first))
            debB = try second.build(DebPackager(), info: RepositoryTests.info(second))
            rpmB = try second.build(RPMPackager(), info: RepositoryTests.info(second))
        }

        func remove() {
            first.remove()
            second.remove()
        }
    }

    static func aptOptions(_ path: String) -> AptRepository.Options {
        AptRepository.Options(path: path, origin: "Omnibus Tests", label: "omnibus-tests", description: "Packages of the test suite")
    }

    @Test(.enabled(if: AptClient.available && TestKeyring.hasGPG, "needs apt-get and gpg"))
    func aptInstallsFromTheSignedRepositoryAndRejectsATamperedInRelease() async throws {
        let key = try await TestKeyring.make()
        defer { key.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let deb = try fixture.build(DebPackager(), info: Self.info(fixture))
        let repository = fixture.base + "/apt"
        let summary = try await AptRepository(Self.aptOptions(repository))
            .publish([deb.path], replace: false, epoch: Self.epoch, signer: RepositorySigner(key.repositorySigner()))
        #expect(summary.added.count == 1 && summary.indexesWritten)

        // Without the plain index names apt must still find the indexes, by their digests.
        let binary = try #require(try FileManager.default.contentsOfDirectory(atPath: repository + "/dists/stable/main").first)
        for name in ["Packages", "Packages.gz", "Packages.xz"] {
            try FileManager.default.moveItem(atPath: repository + "/dists/stable/main/\(binary)/\(name)",
                                             toPath: fixture.base + "/\(name)")
        }
        let apt = try AptClient(repository: repository, key: repository + "/key.asc")
        defer { apt.remove() }
        let update = try await apt.run(["update"])
        #expect(update.succeeded && !update.text.contains("W:") && !update.error.contains("W:"), "\(update.text)\(update.error)")
        let install = try await apt.run(["install", "-y", fixture.name])
        #expect(install.succeeded && install.text.contains(fixture.name), "\(install.text)\(install.error)")
        #expect(FileManager.default.fileExists(atPath: apt.dpkgRoot + fixture.installDir + "/bin/" + fixture.name))
        let status = try String(contentsOfFile: apt.dpkgRoot + "/var/lib/dpkg/status", encoding: .utf8)
        #expect(status.contains("Package: \(fixture.name)\nStatus: install ok installed\n"), "\(status)")
        // apt uses a file: repository's packages in place; `download` copies the one it verified.
        let downloaded = try await apt.run(["download", fixture.name], directory: apt.root)
        #expect(downloaded.succeeded, "\(downloaded.text)\(downloaded.error)")
        let file = try #require(apt.downloaded.first)
        #expect(FileManager.default.contents(atPath: apt.root + "/" + file) == FileManager.default.contents(atPath: deb.path))

        // One changed byte in the signed text: apt must refuse the whole suite.
        let inRelease = repository + "/dists/stable/InRelease"
        var text = try String(contentsOfFile: inRelease, encoding: .utf8)
        text = text.replacingOccurrences(of: "Label: omnibus-tests", with: "Label: omnibus-tesTs")
        try text.write(toFile: inRelease, atomically: true, encoding: .utf8)
        let tampered = try AptClient(repository: repository, key: repository + "/key.asc")
        defer { tampered.remove() }
        let refused = try await tampered.run(["update"])
        #expect(!refused.succeeded && (refused.text + refused.error).contains("BADSIG"), "\(refused.text)\(refused.error)")
        let notInstalled = try await tampered.run(["install", "--download-only", "-y", fixture.name])
        #expect(!notInstalled.succeeded, "apt installed from a tampered repository: \(notInstalled.text)")
    }

    @Test(.enabled(if: DnfClient.available && TestKeyring.hasGPG, "needs dnf and gpg"))
    func dnfInstallsWithGpgcheckAndRepoGpgcheckAndRejectsATamperedRepomd() async throws {
        let key = try await TestKeyring.make()
        defer { key.remove() }
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // dnf's gpgcheck needs signed packages: signed as `omnibus build --signing-key` signs them.
        let info = Self.info(fixture)
        let rpm = try await PackageWriter.write(RPMPackager(), contents: try fixture.contents(info), info: info,
                                                outputDirectory: fixture.base + "/out", signer: try await key.signer())
        let repository = fixture.base + "/yum"
        let summary = try await YumRepository(path: repository)
            .publish([rpm.path], replace: false, epoch: Self.epoch, signer: RepositorySigner(key.repositorySigner()))
        let arch = try RPMPackageReader.read(path: rpm.path).arch
        #expect(summary.added == ["\(fixture.name)-1.4.2-1.\(arch).rpm"])

        let dnf = try DnfClient()
        defer { dnf.remove() }
        let install = try await dnf.install(fixture.name, repository: repository, key: repository + "/key.asc")
        #expect(install.succeeded, "\(install.text)\(install.error)")
        #expect(FileManager.default.fileExists(atPath: dnf.root + "/root" + fixture.installDir + "/bin/" + fixture.name))

        let repomd = repository + "/repodata/repomd.xml"
        var text = try String(contentsOfFile: repomd, encoding: .utf8)
        text = text.replacingOccurrences(of: "<revision>", with: "<revision>1")
        try text.write(toFile: repomd, atomically: true, encoding: .utf8)
        let tampered = try DnfClient()
        defer { tampered.remove() }
        let refused = try await tampered.install(fixture.name, repository: repository, key: repository + "/key.asc")
        #expect(!refused.succeeded && (refused.text + refused.error).contains("signature verification error"),
                "dnf installed from a repository whose repomd.xml was changed: \(refused.text)\(refused.error)")
    }

    @Test(.enabled(if: Command.which("createrepo_c") != nil && Command.which("gzip") != nil, "needs createrepo_c"))
    func yumIndexesMatchCreaterepo() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // The fixture's own info: dependencies, a config file and a scriptlet's /bin/sh.
        var info = fixture.info(epoch: Self.epoch)
        info.provides = ["demo-tool = 2.0"]
        info.conflicts = ["old-demo < 1.0"]
        let rpm = try fixture.build(RPMPackager(), info: info)
        let ours = fixture.base + "/yum-ours"
        _ = try await YumRepository(path: ours).publish([rpm.path], replace: false, epoch: Self.epoch, signer: nil)
        // createrepo_c over the same directory, package and file time included.
        let theirs = fixture.base + "/yum-theirs"
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: ours).first { $0.hasSuffix(".rpm") })
        try #require(try await Command.run("cp", ["-p", ours + "/" + name, theirs + "/" + name]).succeeded)
        let created = try await Command.run("createrepo_c", ["--general-compress-type=gz", "--no-database", theirs])
        try #require(created.succeeded, "\(created.error)")
        for kind in ["primary", "filelists", "other"] {
            let mine = try await Self.packages(in: Self.document(kind, of: ours))
            let reference = try await Self.packages(in: Self.document(kind, of: theirs))
            #expect(mine.count == 1 && mine == reference, "\(kind) differs:\nours:   \(mine)\ntheirs: \(reference)")
        }
        let repomd = try XMLDocument(contentsOf: URL(fileURLWithPath: ours + "/repodata/repomd.xml"))
        for kind in ["primary", "filelists", "other"] {
            let location = try #require(try repomd.nodes(forXPath: "//*[local-name()='data'][@type='\(kind)']/*[local-name()='location']/@href").first?.stringValue)
            let checksum = try #require(try repomd.nodes(forXPath: "//*[local-name()='data'][@type='\(kind)']/*[local-name()='checksum']").first?.stringValue)
            let file = ours + "/" + location
            #expect(try Digest.Digests.hex(.sha256, ofFile: file) == checksum)
            #expect(location.hasPrefix("repodata/\(checksum)-"))
        }
    }

    @Test(.enabled(if: Command.which("dpkg-scanpackages") != nil && Command.which("reprepro") != nil, "needs dpkg-dev and reprepro"))
    func aptStanzaMatchesDpkgScanpackagesAndReprepro() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        let deb = try fixture.build(DebPackager(), info: fixture.info(epoch: Self.epoch))
        let ours = fixture.base + "/apt"
        _ = try await AptRepository(Self.aptOptions(ours)).publish([deb.path], replace: false, epoch: Self.epoch, signer: nil)
        let architecture = try #require(try FileManager.default.contentsOfDirectory(atPath: ours + "/dists/stable/main").first)
        let stanza = try #require(try ControlStanza.parseAll(String(contentsOfFile: ours + "/dists/stable/main/\(architecture)/Packages",
                                                                   encoding: .utf8)).first)

        let scanned = try await Command.run("dpkg-scanpackages", ["--multiversion", "pool"], directory: ours)
        let scan = try #require(try ControlStanza.parseAll(scanned.text).first, "\(scanned.error)")
        Self.expectSameFields(stanza, scan, tool: "dpkg-scanpackages", ignoring: ["SHA1"])

        let reprepro = fixture.base + "/reprepro"
        try FileManager.default.createDirectory(atPath: reprepro + "/conf", withIntermediateDirectories: true)
        try Data("Codename: stable\nSuite: stable\nComponents: main\nArchitectures: \(stanza["Architecture"]!)\n".utf8)
            .write(to: URL(fileURLWithPath: reprepro + "/conf/distributions"))
        let included = try await Command.run("reprepro", ["-b", reprepro, "includedeb", "stable", deb.path])
        try #require(included.succeeded, "\(included.text)\(included.error)")
        let theirs = try #require(try ControlStanza.parseAll(String(contentsOfFile: reprepro + "/dists/stable/main/\(architecture)/Packages",
                                                                   encoding: .utf8)).first)
        Self.expectSameFields(stanza, theirs, tool: "reprepro", ignoring: ["SHA1"])
    }

    @Test(.enabled(if: TestKeyring.hasGPG, "needs gpg"))
    func publishingIsIncrementalIdempotentAndReproducible() async throws {
        let key = try await TestKeyring.make()
        defer { key.remove() }
        let pair = try await PackagePair()
        defer { pair.remove() }
        let (first, second, debA, rpmA, debB, rpmB) = (pair.first, pair.second, pair.debA, pair.rpmA, pair.debB, pair.rpmB)
        let signer = RepositorySigner(key.repositorySigner())

        var trees: [[String: Data]] = []
        for copy in ["one", "two"] {
            let apt = first.base + "/\(copy)/apt", yum = first.base + "/\(copy)/yum"
            _ = try await AptRepository(Self.aptOptions(apt)).publish([debA.path], replace: false, epoch: Self.epoch, signer: signer)
            _ = try await YumRepository(path: yum).publish([rpmA.path], replace: false, epoch: Self.epoch, signer: signer)
            let afterA = TreeBytes.of(first.base + "/\(copy)")
            // B later: A stays, both are indexed.
            let addB = try await AptRepository(Self.aptOptions(apt)).publish([debB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
            #expect(addB.added.count == 1)
            _ = try await YumRepository(path: yum).publish([rpmB.path], replace: false, epoch: Self.epoch + 60, signer: signer)
            let packages = try String(contentsOfFile: apt + "/dists/stable/main/binary-\(Self.debArchitecture(debA.path))/Packages", encoding: .utf8)
            #expect(packages.contains("Package: \(first.name)\n") && packages.contains("Package: \(second.name)\n"))
            let primary = try await Self.document("primary", of: yum)
            #expect(primary.contains("<name>\(first.name)</name>") && primary.contains("<name>\(second.name)</name>"))
            #expect(afterA.keys.contains { $0.hasPrefix("apt/pool/") })
            let afterB = TreeBytes.of(first.base + "/\(copy)")
            // by-hash keeps the indexes of this Release and the one before: A's three and B's three.
            let byHash = afterB.keys.filter { $0.contains("/by-hash/SHA256/") }
            #expect(byHash.count == 6 && Set(afterA.keys.filter { $0.contains("/by-hash/") }).isSubset(of: byHash), "\(byHash.sorted())")
            // A again, unchanged: not one byte of either repository changes.
            let again = try await AptRepository(Self.aptOptions(apt)).publish([debA.path], replace: false, epoch: Self.epoch + 120, signer: signer)
            #expect(again.unchanged.count == 1 && !again.indexesWritten)
            let yumAgain = try await YumRepository(path: yum).publish([rpmA.path], replace: false, epoch: Self.epoch + 120, signer: signer)
            #expect(yumAgain.unchanged.count == 1 && !yumAgain.indexesWritten)
            #expect(TreeBytes.of(first.base + "/\(copy)") == afterB)
            trees.append(afterB)
        }
        #expect(trees[0] == trees[1], "two publishes of the same packages differ in \(Set(trees[0].keys).symmetricDifference(trees[1].keys).sorted()) or bytes")
        #expect(trees[0].keys.contains("apt/dists/stable/InRelease") && trees[0].keys.contains("yum/repodata/repomd.xml.asc"))

        // The same name, version and architecture with other bytes is refused, then replaced on request.
        let changed = try first.build(DebPackager(compression: ArchiveCompression(.xz)), info: Self.info(first), output: first.base + "/changed")
        let apt = first.base + "/one/apt"
        await #expect(throws: PublishError.self) {
            _ = try await AptRepository(Self.aptOptions(apt)).publish([changed.path], replace: false, epoch: Self.epoch, signer: signer)
        }
        #expect(TreeBytes.of(first.base + "/one") == trees[0])
        let replaced = try await AptRepository(Self.aptOptions(apt)).publish([changed.path], replace: true, epoch: Self.epoch, signer: signer)
        #expect(replaced.replaced.count == 1 && replaced.indexesWritten)
        let changedRPM = try first.build(RPMPackager(compression: ArchiveCompression(.xz)), info: Self.info(first), output: first.base + "/changed")
        await #expect(throws: PublishError.self) {
            _ = try await YumRepository(path: first.base + "/one/yum").publish([changedRPM.path], replace: false, epoch: Self.epoch, signer: signer)
        }
    }

    @Test func aSecondPublishIntoTheSameRepositoryMeanwhileIsRefused() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // Another publish, as far as the kernel can tell: the repository directory is locked.
        let (deb, repository, held) = try Self.lockedAptRepository(fixture)
        await #expect(throws: PublishError.busy(path: repository)) {
            _ = try await AptRepository(Self.aptOptions(repository)).publish([deb], replace: false, epoch: Self.epoch, signer: nil)
        }
        #expect(TreeBytes.of(repository).isEmpty)
        close(held)
        let published = try await AptRepository(Self.aptOptions(repository)).publish([deb], replace: false, epoch: Self.epoch, signer: nil)
        #expect(published.added.count == 1)
    }

    /// A publish that has just ended can leave its lock held for a moment by a child another
    /// thread is starting (the copy of the descriptor lives until that child execs): the next
    /// publish waits that moment out instead of reporting a publish that no longer runs.
    @Test func aLockHeldForAMomentAfterAPublishIsWaitedFor() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.remove() }
        // The lock's descriptor, then inherited by a child that keeps it for half a second.
        let (deb, repository, held) = try Self.lockedAptRepository(fixture)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "sleep 0.5", "sh"]
        child.standardInput = FileHandle(fileDescriptor: held, closeOnDealloc: false)
        try child.run()
        close(held)
        let published = try await AptRepository(Self.aptOptions(repository)).publish([deb], replace: false, epoch: Self.epoch, signer: nil)
        #expect(published.added.count == 1)
        await child.exited()
    }

    // MARK: - helpers

    /// A deb of the fixture and an empty apt repository directory, locked as a publish locks it
    /// (`flock` on the directory); the caller closes `held`.
    static func lockedAptRepository(_ fixture: Fixture) throws -> (deb: String, repository: String, held: Int32) {
        let deb = try fixture.build(DebPackager(), info: info(fixture))
        let repository = fixture.base + "/apt"
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        let held = open(repository, O_RDONLY | O_DIRECTORY)
        #expect(flock(held, LOCK_EX) == 0)
        return (deb.path, repository, held)
    }

    static func debArchitecture(_ path: String) throws -> String {
        try DebPackageFile.read(path).architecture
    }

    /// The repodata document the current repomd.xml names (the previous generation's stay beside it), decompressed.
    static func document(_ kind: String, of repository: String) async throws -> String {
        let repodata = repository + "/repodata"
        let name = try #require(try Self.namedIndexes(repository).first { $0.hasSuffix("-\(kind).xml.gz") })
        let result = try await Command.run("gzip", ["-dc", repodata + "/" + name])
        return result.text
    }

    /// The index files the current repomd.xml names.
    static func namedIndexes(_ repository: String) throws -> Set<String> {
        let repomd = try String(contentsOfFile: repository + "/repodata/repomd.xml", encoding: .utf8)
        return Set(repomd.components(separatedBy: "<location href=\"repodata/").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) })
    }

    /// Each `<package>` as a sorted list of its descendants (element path, attributes, text), so
    /// documents compare by content and not by whitespace or attribute order.
    static func packages(in text: String) throws -> [[String]] {
        let document = try XMLDocument(xmlString: text)
        return try document.nodes(forXPath: "//*[local-name()='package']").map { node in
            var items: [String] = []
            func walk(_ node: XMLNode, _ path: String) {
                guard let element = node as? XMLElement else { return }
                let here = path + "/" + (element.name ?? "")
                let attributes = (element.attributes ?? []).map { "\($0.name ?? "")=\($0.stringValue ?? "")" }.sorted()
                let text = element.children?.contains { $0.kind == .text } == true ? element.stringValue ?? "" : ""
                items.append("\(here) [\(attributes.joined(separator: " "))] \(text)")
                for child in element.children ?? [] { walk(child, here) }
            }
            walk(node, "")
            return items.sorted()
        }
    }

    static func expectSameFields(_ ours: ControlStanza, _ theirs: ControlStanza, tool: String, ignoring: Set<String>,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        for field in theirs.fields where !ignoring.contains(field.name) {
            #expect(ours[field.name] == field.value, "\(field.name): ours \(ours[field.name] ?? "missing"), \(tool) \(field.value)",
                    sourceLocation: sourceLocation)
        }
        for field in ours.fields where theirs[field.name] == nil {
            #expect(["SHA512", "MD5sum", "SHA256"].contains(field.name), "\(field.name) is ours only", sourceLocation: sourceLocation)
        }
    }
}
