import Digest
import Foundation
import Testing
@testable import Fetch

/// `pypi` sources against a local index: the file found by checksum through the JSON API
/// (versioned document, or only the project document as some indexes serve), the cache and a
/// filled mirror used without the index, and the messages when nothing matches.
@Suite(.enabled(if: Tools.has("python3"), "python3 runs the test HTTP server"))
struct PyPISourceTests {
    let work: TemporaryDirectory
    let wheelName = "demo_pkg-1.0-py3-none-any.whl"
    let checksum: Checksum

    init() throws {
        work = try TemporaryDirectory("pypi")
        try FileManager.default.createDirectory(atPath: work.sub("index/files"), withIntermediateDirectories: true)
        try Data("not really a zip, but bytes with a checksum\n".utf8).write(to: URL(fileURLWithPath: work.sub("index/files/\(wheelName)")))
        checksum = try sha256(ofFile: work.sub("index/files/\(wheelName)"))
    }

    /// `index/pypi/demo-pkg/1.0/json` (versioned) or only `index/pypi/demo-pkg/json` (project).
    func publish(versioned: Bool, sha256: String? = nil) throws {
        let file = #"{"filename": "\#(wheelName)", "url": "/files/\#(wheelName)", "digests": {"sha256": "\#(sha256 ?? checksum.hex)"}}"#
        let (path, json) = versioned
            ? ("index/pypi/demo-pkg/1.0", #"{"info": {"name": "demo-pkg", "version": "1.0"}, "urls": [\#(file)]}"#)
            : ("index/pypi/demo-pkg", #"{"info": {"name": "demo-pkg", "version": "2.0"}, "urls": [], "releases": {"1.0": [\#(file)]}}"#)
        try FileManager.default.createDirectory(atPath: work.sub(path), withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: work.sub(path + "/json")))
    }

    func configuration(index: URL?, mirrors: [SourceMirror] = [], cache: String = "cache") -> FetchConfiguration {
        var configuration = FetchConfiguration(cacheDirectory: work.sub(cache), mirrors: mirrors, allowUpstream: index != nil,
                                               retry: RetryPolicy(attempts: 1), requestTimeout: 5)
        if let index { configuration.pypiIndex = index }
        return configuration
    }

    var source: PyPISource {
        PyPISource(distributions: [PinnedDistribution(name: "Demo_Pkg", version: "1.0", checksum: checksum)])
    }

    @Test(arguments: [true, false]) func findsTheFileByChecksumThroughTheIndex(versioned: Bool) async throws {
        try publish(versioned: versioned)
        let server = try LocalHTTPServer(root: work.sub("index"))
        let fetcher = SourceFetcher(configuration: configuration(index: server.url("pypi")))
        let fetched = try await fetcher.fetch(source)
        #expect(fetched.identity == (try source.identity()))
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("src"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: unpacked.buildDirectory) == [wheelName])
        #expect(server.requests.contains("/files/\(wheelName)"))

        // Offline, the cache alone knows the file by its checksum.
        let offline = try await SourceFetcher(configuration: configuration(index: nil)).fetch(source)
        #expect(offline.origin == "\(wheelName) from cache")
    }

    @Test func aFilledMirrorServesAnOfflineBuildWithoutTheIndex() async throws {
        try publish(versioned: true)
        let server = try LocalHTTPServer(root: work.sub("index"))
        let mirror = work.sub("mirror")
        let entries = try await PyPIMirrorFiller(mirrorDirectory: mirror, configuration: configuration(index: server.url("pypi")))
            .fill(source.distributions)
        #expect(entries.map(\.description) == ["pypi Demo_Pkg 1.0: \(wheelName) in the mirror"])
        server.stop()
        for path in [wheelName, "sha256/\(checksum.hex)", "pypi/demo-pkg/1.0/json"] {
            #expect(FileManager.default.fileExists(atPath: "\(mirror)/\(path)"), "\(path)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mirror).sorted() == [wheelName, "pypi", "sha256"])
        let fetched = try await SourceFetcher(configuration: configuration(index: nil, mirrors: [.directory(mirror)], cache: "other"))
            .fetch(source)
        #expect(fetched.origin == "\(wheelName) from \(mirror)/\(wheelName)")
    }

    @Test func aChecksumTheIndexDoesNotListIsReportedWithTheFilesItHas() async throws {
        try publish(versioned: true, sha256: String(repeating: "e", count: 64))
        let server = try LocalHTTPServer(root: work.sub("index"))
        await #expect { try await SourceFetcher(configuration: configuration(index: server.url("pypi"))).fetch(source) } throws: { error in
            let text = "\(error)"
            return text.contains("lists no file of Demo_Pkg 1.0 with \(checksum)")
                && text.contains("\(wheelName) (sha256:\(String(repeating: "e", count: 64)))")
        }
    }

    @Test func offlineWithoutMirrorSaysHowToFillOne() async throws {
        await #expect { try await SourceFetcher(configuration: configuration(index: nil)).fetch(source) } throws: { error in
            let text = "\(error)"
            return text.contains("cannot fetch the Python distribution Demo_Pkg 1.0 (\(checksum))")
                && text.contains("omnibus mirror PROJECT --dir DIR")
        }
    }
}
