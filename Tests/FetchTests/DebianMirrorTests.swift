import Digest
import Foundation
import Testing
@testable import Fetch

/// Filling a mirror from Debian source packages with the real apt-get.
struct DebianMirrorTests {
    static let bzip2 = "ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269"

    /// True when apt has deb-src entries (CI runs scripts/enable-deb-src first).
    static let debSrcAvailable: Bool = {
        guard Tools.has("apt-get") else { return false }
        let output = (try? Tools.run(["apt-get", "indextargets", "--format", "$(IDENTIFIER)", "Identifier: Sources"])) ?? ""
        return !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }()

    @Test(.enabled(if: debSrcAvailable,
                   "apt has no deb-src entries (run scripts/enable-deb-src as root) or apt-get is absent"))
    func fillsAMirrorWithAnOrigFileThatMatchesAndFetchesFromIt() async throws {
        let work = try TemporaryDirectory("debian")
        let checksum = try Checksum(.sha256, Self.bzip2)
        let request = DebianMirrorRequest(package: "bzip2", fileName: "bzip2-1.0.8.tar.gz", checksum: checksum)
        let filler = DebianMirrorFiller(mirrorDirectory: work.sub("mirror"))

        let report = try await filler.fill([request])
        #expect(report.isComplete)
        let entry = try #require(report.entries.first)
        guard case .stored(let debianFile, let version, let paths) = entry.outcome else {
            Issue.record("not stored: \(report)")
            return
        }
        #expect(debianFile == "bzip2_1.0.8.orig.tar.gz")
        #expect(version?.hasPrefix("1.0.8") == true)  // chosen from apt's index by the checksum
        #expect(paths == [work.sub("mirror/bzip2-1.0.8.tar.gz"), work.sub("mirror/sha256/\(Self.bzip2)")])
        #expect(try sha256(ofFile: work.sub("mirror/bzip2-1.0.8.tar.gz")) == checksum)
        // Only the matching .orig stays: no .dsc, no Debian patches, no scratch directory.
        let kept = try FileManager.default.contentsOfDirectory(atPath: work.sub("mirror")).sorted()
        #expect(kept == ["bzip2-1.0.8.tar.gz", "sha256"])
        #expect(report.description.contains("stored bzip2-1.0.8.tar.gz from Debian package bzip2"))

        let again = try await filler.fill([request])
        #expect(again.entries.first?.outcome == .alreadyPresent(path: work.sub("mirror/bzip2-1.0.8.tar.gz")))

        // The filled mirror serves a url source offline.
        let fetcher = SourceFetcher(configuration: FetchConfiguration(
            cacheDirectory: work.sub("cache"), mirrors: [.directory(work.sub("mirror"))], allowUpstream: false))
        let upstream = URL(string: "https://sourceware.org/pub/bzip2/bzip2-1.0.8.tar.gz")!
        let fetched = try await fetcher.fetch(.url(upstream, checksum))
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("src"))
        #expect(unpacked.buildDirectory == work.sub("src/bzip2-1.0.8"))
        #expect(exists(work.sub("src/bzip2-1.0.8/bzlib.c")))
    }

    @Test(.enabled(if: debSrcAvailable,
                   "apt has no deb-src entries (run scripts/enable-deb-src as root) or apt-get is absent"))
    func reportsOrigFilesThatDoNotMatchAndUnknownVersions() async throws {
        let work = try TemporaryDirectory("debian")
        let wrong = try Checksum(.sha256, String(repeating: "0", count: 64))
        let filler = DebianMirrorFiller(mirrorDirectory: work.sub("mirror"))
        let report = try await filler.fill([
            DebianMirrorRequest(package: "bzip2", fileName: "bzip2-1.0.8.tar.gz", checksum: wrong),
            DebianMirrorRequest(package: "bzip2", version: "0.0-0", fileName: "bzip2-0.0.tar.gz", checksum: wrong),
        ])
        #expect(!report.isComplete)
        #expect(report.entries.count == 2)
        if case .noMatch(_, let found) = report.entries[0].outcome {
            #expect(found == ["bzip2_1.0.8.orig.tar.gz": Self.bzip2])
        } else {
            Issue.record("expected noMatch, got \(report.entries[0].outcome)")
        }
        guard case .failed(let reason) = report.entries[1].outcome else {
            Issue.record("expected failed, got \(report.entries[1].outcome)")
            return
        }
        #expect(reason.contains("apt-get source --download-only"))
        #expect(reason.contains("bzip2=0.0-0"))
        #expect(reason.contains("versions apt knows for bzip2: 1.0.8"))
        #expect(report.description.contains("NO MATCH for bzip2-1.0.8.tar.gz"))
        #expect(!exists(work.sub("mirror/bzip2-1.0.8.tar.gz")))
        let kept = try FileManager.default.contentsOfDirectory(atPath: work.sub("mirror"))
        #expect(kept.isEmpty)
    }

    @Test func sourcesIndexIsReadForTheVersionWhoseOrigMatches() {
        let text = """
            Package: zlib
            Version: 1:1.2.13.dfsg-1
            Checksums-Sha256:
             3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8 2399 zlib_1.2.13.dfsg-1.dsc
             71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1 1239825 zlib_1.2.13.dfsg.orig.tar.bz2
            Directory: pool/main/z/zlib

            Package: zlib
            Version: 1:1.2.11.dfsg-2
            Files:
             aaaa 10 zlib_1.2.11.dfsg.orig.tar.gz
            Checksums-Sha256:
             bbbb 10 zlib_1.2.11.dfsg.orig.tar.gz
             cccc 10 zlib_1.2.11.dfsg.orig.tar.gz.asc

            """
        let index = DebianSourceIndex(showsrcOutput: text)
        #expect(index.versions.map(\.version) == ["1:1.2.13.dfsg-1", "1:1.2.11.dfsg-2"])
        #expect(index.version(withOrigSHA256: "71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1")?
            .version == "1:1.2.13.dfsg-1")
        #expect(index.version(withOrigSHA256: "bbbb")?.version == "1:1.2.11.dfsg-2")
        #expect(index.version(withOrigSHA256: "cccc") == nil)  // a signature is not a source
        #expect(index.version(withOrigSHA256: "3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8") == nil)
    }

    @Test func aNativePackagesOnlyTarballIsItsSourceButDebianPackagingIsNot() {
        let text = """
            Package: ca-certificates
            Version: 20230311+deb12u1
            Checksums-Sha256:
             d4d57c9b56db87c8ebe7a0c27d55023e3369d183d4b774bdf455f775a80f00eb 1800 ca-certificates_20230311+deb12u1.dsc
             4cd6bbd5577a16432438bc1006dc05c333afacb76104fc3564612858c8ee3280 259756 ca-certificates_20230311+deb12u1.tar.xz

            Package: nginx
            Version: 1.22.1-9
            Checksums-Sha256:
             9ebb333a9e82b952acd3e2b4aeb1d4ff6406f72491bab6cd9fe69f0dea737f31 1073948 nginx_1.22.1.orig.tar.gz
             dddd 10 nginx_1.22.1-9.debian.tar.xz

            """
        let index = DebianSourceIndex(showsrcOutput: text)
        #expect(index.version(withOrigSHA256: "4cd6bbd5577a16432438bc1006dc05c333afacb76104fc3564612858c8ee3280")?
            .version == "20230311+deb12u1")
        #expect(index.version(withOrigSHA256: "dddd") == nil)
        #expect(index.version(withOrigSHA256: "d4d57c9b56db87c8ebe7a0c27d55023e3369d183d4b774bdf455f775a80f00eb") == nil)
    }

    @Test func missingDebSrcAdviceNamesTheExactLinesToAdd() {
        let advice = AptSourceCheck.advice(forPackageTargets: """
            http://deb.debian.org/debian bookworm main /etc/apt/sources.list.d/debian.sources:1
            http://deb.debian.org/debian bookworm-updates main /etc/apt/sources.list.d/debian.sources:1
            http://deb.debian.org/debian bookworm main /etc/apt/sources.list.d/debian.sources:1
            """)
        #expect(advice.contains("scripts/enable-deb-src"))
        #expect(advice.contains("in /etc/apt/sources.list.d/debian.sources, change `Types: deb` to `Types: deb deb-src`"))
        #expect(advice.contains("    deb-src http://deb.debian.org/debian bookworm main\n"))
        #expect(advice.contains("    deb-src http://deb.debian.org/debian bookworm-updates main\n"))
        #expect(advice.components(separatedBy: "deb-src http://deb.debian.org/debian bookworm main").count == 2)
        #expect(advice.hasSuffix("then run `apt-get update`."))
    }

    @Test(.enabled(if: Tools.has("sh"))) func enableDebSrcScriptPrintsStanzasForTheMachinesDebEntries() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/enable-deb-src").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: script) else {
            Issue.record("scripts/enable-deb-src not found at \(script)")
            return
        }
        try Tools.run(["sh", "-n", script])
        let output = try Tools.run(["sh", script, "--print"])
        // Either apt already has deb-src entries or the script shows what it would write.
        #expect(output.contains("nothing to do") || output.contains("Types: deb-src") || output.contains("deb-src "))
    }
}
