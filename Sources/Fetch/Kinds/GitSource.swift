import Definitions

/// `git:` with a full `commit:`: a bare clone in the cache, checked out at exactly that commit.
package struct GitSource: FetchableSource, Hashable {
    package static let name = "git"
    package static let keys = ["git", "commit"]
    package static let usage = "git (with commit)"
    package static let describedAs = "a git source (it is pinned by 'commit')"

    package let repository: String
    package let commit: String

    package init(repository: String, commit: String) {
        self.repository = repository
        self.commit = commit
    }

    package static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> GitSource? {
        let repository = decoding.string(map, "git")
        guard let commit = decoding.string(map, "commit", required: "a git source (a full 40-hex commit id)") else { return nil }
        if commit.value.count != 40 || !commit.value.allSatisfy(\.isHexDigit) {
            decoding.error("'commit' must be a full 40-hex-digit commit id, found '\(commit.value)' (branches and tags move; pin the commit)",
                           at: commit.location)
        }
        guard let repository else { return nil }
        return GitSource(repository: repository.value, commit: commit.value.lowercased())
    }

    package var location: String { "\(repository)@\(commit)" }
    package var mirrorFile: MirrorFile? { nil }
    package var keyText: String { "git(repository: \"\(repository)\", commit: \"\(commit)\")" }

    package func identity() throws(FetchError) -> String { "git:\(try GitRepository.validatedCommit(commit))" }

    package func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        let pinned = try GitRepository.validatedCommit(commit)
        let bare = try await GitRepository.fetch(repository: repository, commit: pinned,
                                                 cacheRoot: fetcher.configuration.cacheDirectory, events: events)
        return FetchedSource(content: .gitRepository(path: bare, repository: repository, commit: pinned),
                             identity: "git:\(pinned)", origin: repository)
    }
}
