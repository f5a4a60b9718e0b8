import Foundation
import Testing
@testable import Fetch

/// `path` sources: copied without `.git`, identified by a content hash.
struct PathSourceTests {
    let work: TemporaryDirectory
    let source: String

    init() throws {
        work = try TemporaryDirectory("path")
        try makeSourceTree(in: work.path, top: "src")
        source = work.sub("src")
        try FileManager.default.createSymbolicLink(atPath: "\(source)/link", withDestinationPath: "doc/README")
        try FileManager.default.createDirectory(atPath: "\(source)/empty", withIntermediateDirectories: true)
    }

    var fetcher: SourceFetcher { SourceFetcher(configuration: FetchConfiguration(cacheDirectory: work.sub("cache"))) }

    func hash(_ directory: String) throws -> String { try DirectoryTree.contentHash(of: directory) }

    @Test func theHashIsStableAndIndependentOfLocationAndGit() throws {
        let original = try hash(source)
        #expect(original.hasPrefix("tree-sha256:") && original.count == 12 + 64)
        #expect(try hash(source) == original)
        try Tools.run(["cp", "-a", source, work.sub("elsewhere")])
        #expect(try hash(work.sub("elsewhere")) == original)
        try write("[core]\n", to: "\(source)/.git/config")
        try write("gitdir: ../.git/modules/sub\n", to: "\(source)/doc/.git")
        #expect(try hash(source) == original)
    }

    @Test func contentModeNamesAndSymlinkTargetsChangeTheHash() throws {
        let original = try hash(source)
        var seen: Set<String> = [original]
        func changed(_ change: () throws -> Void) throws {
            try change()
            let now = try hash(source)
            #expect(!seen.contains(now))
            seen.insert(now)
        }
        try changed { try write("hello!\n", to: "\(source)/doc/README") }
        try changed { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(source)/main.c") }
        try changed { try FileManager.default.moveItem(atPath: "\(source)/main.c", toPath: "\(source)/main2.c") }
        try changed {
            try FileManager.default.removeItem(atPath: "\(source)/link")
            try FileManager.default.createSymbolicLink(atPath: "\(source)/link", withDestinationPath: "main2.c")
        }
        try changed { try FileManager.default.removeItem(atPath: "\(source)/empty") }
    }

    @Test func onlyTheExecutableBitOfAFileCounts() throws {
        let original = try hash(source)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(source)/main.c")
        #expect(try hash(source) == original)
    }

    @Test func unpackCopiesEverythingButGit() async throws {
        try write("[core]\n", to: "\(source)/.git/config")
        let fetched = try await fetcher.fetch(.path(directory: source))
        #expect(fetched.identity == (try hash(source)))
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("copy"))
        #expect(unpacked.buildDirectory == work.sub("copy"))
        #expect(!exists(work.sub("copy/.git")))
        #expect(try read(work.sub("copy/main.c")) == "int main(void) { return 0; }\n")
        #expect(FileManager.default.isExecutableFile(atPath: work.sub("copy/configure")))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: work.sub("copy/link")) == "doc/README")
        #expect(try hash(work.sub("copy")) == fetched.identity)
    }

    @Test func excludedPathsAreNeitherHashedNorCopied() async throws {
        try write("object\n", to: "\(source)/.build/release/main.o")
        try write("notes\n", to: "\(source)/doc/notes.tmp")
        let exclude = [".build", "doc/*.tmp"]
        let fetched = try await fetcher.fetch(.path(directory: source, exclude: exclude))
        try write("rebuilt\n", to: "\(source)/.build/release/main.o")
        #expect(try await fetcher.fetch(.path(directory: source, exclude: exclude)).identity == fetched.identity,
                "what is excluded does not change the identity")
        #expect(try await fetcher.fetch(.path(directory: source)).identity != fetched.identity)
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("copy"))
        #expect(!exists(unpacked.root + "/.build"))
        #expect(!exists(unpacked.root + "/doc/notes.tmp"))
        #expect(exists(unpacked.root + "/doc/README"))
    }

    @Test func aSourceChangedAfterFetchIsRefusedAtUnpack() async throws {
        let fetched = try await fetcher.fetch(.path(directory: source))
        try write("changed\n", to: "\(source)/main.c")
        let error = await #expect(throws: FetchError.self) { try await fetcher.unpack(fetched, into: work.sub("copy")) }
        #expect(error?.description.contains("changed while it was being copied") == true)
        #expect(!exists(work.sub("copy")))
    }

    @Test func aMissingDirectoryIsReported() async throws {
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(.path(directory: work.sub("nope"))) }
        #expect(error?.description == "path source \(work.sub("nope")): not an existing directory")
    }

    @Test(.enabled(if: Tools.has("mkfifo"))) func specialFilesAreRefused() async throws {
        try Tools.run(["mkfifo", "\(source)/pipe"])
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(.path(directory: source)) }
        #expect(error?.description.contains("pipe is a special file") == true)
    }
}
