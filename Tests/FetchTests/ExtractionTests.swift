import Foundation
import Testing
@testable import Fetch

/// Unpacking real archives made with the real tools, and choosing the build directory.
struct ExtractionTests {
    let work: TemporaryDirectory

    init() throws {
        work = try TemporaryDirectory("extract")
        try makeSourceTree(in: work.path)
    }

    /// Fetches a local archive through a file:// URL, then unpacks it into `<work>/unpacked`.
    func fetchAndUnpack(_ archive: String, relativePath: String? = nil, as fileName: String? = nil) async throws -> UnpackedSource {
        let fetcher = SourceFetcher(configuration: FetchConfiguration(cacheDirectory: work.sub("cache")))
        let fetched = try await fetcher.fetch(.url(URL(fileURLWithPath: archive), try sha256(ofFile: archive), fileName: fileName))
        return try await fetcher.unpack(fetched, into: work.sub("unpacked"), relativePath: relativePath)
    }

    @Test(arguments: ["demo-1.0.tar.gz", "demo-1.0.tar.xz", "demo-1.0.tar.bz2", "demo-1.0.tar.zst",
                      "demo-1.0.zip", "demo-1.0.tar"])
    func eachFormatExtractsIntoItsSingleTopLevelDirectory(fileName: String) async throws {
        if fileName.hasSuffix(".zst") && !Tools.has("zstd") { return }
        let archive = try makeArchive(fileName, of: "demo-1.0", in: work.path)
        let unpacked = try await fetchAndUnpack(archive)
        #expect(unpacked.root == work.sub("unpacked"))
        #expect(unpacked.buildDirectory == work.sub("unpacked/demo-1.0"))
        #expect(try read(work.sub("unpacked/demo-1.0/main.c")) == "int main(void) { return 0; }\n")
        #expect(try read(work.sub("unpacked/demo-1.0/doc/README")) == "hello\n")
        #expect(FileManager.default.isExecutableFile(atPath: work.sub("unpacked/demo-1.0/configure")))
    }

    @Test func modificationTimesSurviveExtraction() async throws {
        try Tools.run(["touch", "-d", "2001-02-03 04:05:06 UTC", "demo-1.0/main.c"], in: work.path)
        let archive = try makeArchive("demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
        let unpacked = try await fetchAndUnpack(archive)
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(unpacked.buildDirectory)/main.c")
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 981_173_106)
    }

    @Test func severalTopLevelEntriesBuildAtTheRoot() async throws {
        try write("x\n", to: work.sub("demo-1.0/../NOTICE"))
        try Tools.run(["tar", "-czf", "two.tar.gz", "demo-1.0", "NOTICE"], in: work.path)
        let unpacked = try await fetchAndUnpack(work.sub("two.tar.gz"))
        #expect(unpacked.buildDirectory == work.sub("unpacked"))
    }

    @Test func relativePathChoosesTheBuildDirectory() async throws {
        let archive = try makeArchive("demo-1.0.tar.xz", of: "demo-1.0", in: work.path)
        let unpacked = try await fetchAndUnpack(archive, relativePath: "demo-1.0/doc")
        #expect(unpacked.buildDirectory == work.sub("unpacked/demo-1.0/doc"))
    }

    @Test func aMissingRelativePathListsWhatIsThere() async throws {
        let archive = try makeArchive("demo-1.0.tar.xz", of: "demo-1.0", in: work.path)
        let error = await #expect(throws: FetchError.self) { try await fetchAndUnpack(archive, relativePath: "src") }
        #expect(error?.description.contains("relative_path 'src' is not a directory") == true)
        #expect(error?.description.contains("its top level has: demo-1.0") == true)
        let escape = await #expect(throws: FetchError.self) { try await fetchAndUnpack(archive, relativePath: "../x") }
        #expect(escape?.description.contains("must stay inside the source") == true)
    }

    @Test func dotSlashEntriesAreExtractedAtTheRoot() async throws {
        try Tools.run(["tar", "-czf", work.sub("dot.tar.gz"), "-C", work.sub("demo-1.0"), "."])
        let unpacked = try await fetchAndUnpack(work.sub("dot.tar.gz"))
        #expect(unpacked.buildDirectory == work.sub("unpacked"))
        #expect(try read(work.sub("unpacked/doc/README")) == "hello\n")
    }

    @Test func anExtractionDirectoryReachedThroughASymlinkWorks() async throws {
        // A cache or work dir under a symlinked home is common; libarchive must not mistake the
        // link on the way to the root for an archive entry writing through a symlink.
        let archive = try makeArchive("demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
        try FileManager.default.createDirectory(atPath: work.sub("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work.sub("alias"), withDestinationPath: work.sub("real"))
        let fetcher = SourceFetcher(configuration: FetchConfiguration(cacheDirectory: work.sub("alias/cache")))
        let fetched = try await fetcher.fetch(.url(URL(fileURLWithPath: archive), try sha256(ofFile: archive)))
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("alias/unpacked"))
        #expect(unpacked.buildDirectory == work.sub("alias/unpacked/demo-1.0"))
        #expect(try read(work.sub("real/unpacked/demo-1.0/main.c")) == "int main(void) { return 0; }\n")
    }

    @Test func aFileThatIsNotAnArchiveIsCopiedAsItIs() async throws {
        try write("#!/bin/sh\necho hi\n", to: work.sub("install.sh"))
        let unpacked = try await fetchAndUnpack(work.sub("install.sh"))
        #expect(unpacked.buildDirectory == work.sub("unpacked"))
        #expect(try read(work.sub("unpacked/install.sh")) == "#!/bin/sh\necho hi\n")
    }

    @Test func internalSymlinksAndHardlinksAreKept() async throws {
        try FileManager.default.createSymbolicLink(atPath: work.sub("demo-1.0/doc/README.link"), withDestinationPath: "README")
        try FileManager.default.createSymbolicLink(atPath: work.sub("demo-1.0/doc/up"), withDestinationPath: "../main.c")
        try FileManager.default.linkItem(atPath: work.sub("demo-1.0/main.c"), toPath: work.sub("demo-1.0/main2.c"))
        let archive = try makeArchive("demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
        let unpacked = try await fetchAndUnpack(archive)
        let doc = "\(unpacked.buildDirectory)/doc"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(doc)/README.link") == "README")
        #expect(try read("\(doc)/up") == "int main(void) { return 0; }\n")
        #expect(try read("\(unpacked.buildDirectory)/main2.c") == "int main(void) { return 0; }\n")
    }

    @Test func unpackingIntoAnExistingDirectoryIsRefused() async throws {
        let archive = try makeArchive("demo-1.0.tar.gz", of: "demo-1.0", in: work.path)
        try FileManager.default.createDirectory(atPath: work.sub("unpacked"), withIntermediateDirectories: true)
        try write("mine\n", to: work.sub("unpacked/keep"))
        let error = await #expect(throws: FetchError.self) { try await fetchAndUnpack(archive) }
        #expect(error?.description.contains("already exists") == true)
        #expect(try read(work.sub("unpacked/keep")) == "mine\n")
    }

    @Test func aCorruptArchiveIsAnExtractionError() async throws {
        try write("this is not gzip data", to: work.sub("broken.tar.gz"))
        let error = await #expect(throws: FetchError.self) { try await fetchAndUnpack(work.sub("broken.tar.gz")) }
        #expect(error?.description.hasPrefix("cannot extract ") == true)
        #expect(!exists(work.sub("unpacked")))
    }
}
