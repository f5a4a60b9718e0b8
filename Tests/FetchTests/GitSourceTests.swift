import Foundation
import Testing
@testable import Fetch

/// `git` sources against a real repository made in the test.
@Suite(.enabled(if: Tools.has("git"), "git is needed for git sources"))
struct GitSourceTests {
    let work: TemporaryDirectory
    let repository: String

    init() throws {
        work = try TemporaryDirectory("git")
        repository = work.sub("origin")
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        try git("init", "--quiet", "--initial-branch=main")
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try Tools.run(["git", "-C", repository, "-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commit(_ content: String) throws -> String {
        try write(content, to: "\(repository)/version.txt")
        try git("add", "version.txt")
        try git("commit", "--quiet", "-m", content)
        return try git("rev-parse", "HEAD")
    }

    var fetcher: SourceFetcher { SourceFetcher(configuration: FetchConfiguration(cacheDirectory: work.sub("cache"))) }

    @Test func checksOutThePinnedCommitNotTheBranchHead() async throws {
        let first = try commit("one\n")
        _ = try commit("two\n")
        let fetched = try await fetcher.fetch(.git(repository: repository, commit: first))
        #expect(fetched.identity == "git:\(first)")
        let unpacked = try await fetcher.unpack(fetched, into: work.sub("checkout"))
        #expect(unpacked.buildDirectory == work.sub("checkout"))
        #expect(try read(work.sub("checkout/version.txt")) == "one\n")
        let head = try Tools.run(["git", "-C", work.sub("checkout"), "rev-parse", "HEAD"])
        #expect(head.trimmingCharacters(in: .whitespacesAndNewlines) == first)
        let origin = try Tools.run(["git", "-C", work.sub("checkout"), "remote", "get-url", "origin"])
        #expect(origin.trimmingCharacters(in: .whitespacesAndNewlines) == repository)
    }

    @Test func aCommitMadeAfterTheFirstCloneIsFetched() async throws {
        let first = try commit("one\n")
        _ = try await fetcher.fetch(.git(repository: repository, commit: first))
        let second = try commit("two\n")
        let fetched = try await fetcher.fetch(.git(repository: repository, commit: second))
        _ = try await fetcher.unpack(fetched, into: work.sub("checkout"))
        #expect(try read(work.sub("checkout/version.txt")) == "two\n")
    }

    @Test func aCommitThatIsNotInTheRepositoryIsRefused() async throws {
        _ = try commit("one\n")
        let missing = String(repeating: "1", count: 40)
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(.git(repository: repository, commit: missing))
        }
        #expect(error == .gitCommitNotFound(repository: repository, commit: missing))
        #expect(error?.description.contains("commit \(missing) is not in \(repository)") == true)
    }

    @Test func branchNamesAndShortIdsAreNotPins() async throws {
        let full = try commit("one\n")
        for reference in ["main", String(full.prefix(12)), "HEAD"] {
            let error = await #expect(throws: FetchError.self) {
                try await fetcher.fetch(.git(repository: repository, commit: reference))
            }
            #expect(error?.description.contains("'\(reference)' is not a full commit id") == true)
        }
    }

    @Test func anUnreachableRepositoryReportsGitsOwnMessage() async throws {
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(.git(repository: work.sub("nowhere"), commit: String(repeating: "a", count: 40)))
        }
        let message = error?.description ?? ""
        #expect(message.contains("`git clone --bare --quiet -- \(work.sub("nowhere"))"))
        #expect(message.contains("does not exist"))
    }
}
