import Digest
import Foundation

/// `git` sources: a bare clone per repository in the cache, updated only when the pinned commit
/// is missing, and a checkout of exactly that commit per unpack.
enum GitRepository {
    /// Git prompts would hang a build waiting for a password nobody will type.
    static let environment = ["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]

    /// A pin must be a full object id (SHA-1: 40 hex digits; SHA-256 repositories: 64): a branch,
    /// a tag or an abbreviation can come to mean another commit.
    static func validatedCommit(_ commit: String) throws(FetchError) -> String {
        let lower = commit.lowercased()
        let isHex = lower.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
        guard isHex, lower.utf8.count == 40 || lower.utf8.count == 64 else {
            throw .invalidSource("git commit '\(commit)' is not a full commit id (40 hex digits); "
                + "branches, tags and abbreviated ids are not pins. Find it with `git rev-parse <ref>`")
        }
        return lower
    }

    static func cachePath(for repository: String, cacheRoot: String) throws(FetchError) -> String {
        let key: String
        do { key = try Digests.hex(.sha256, of: Array(repository.utf8)) } catch {
            throw .io(path: cacheRoot, reason: error.description)
        }
        return "\(cacheRoot)/git/\(key).git"
    }

    /// Makes sure the cached bare repository holds `commit`, cloning or fetching as needed.
    static func fetch(repository: String, commit: String, cacheRoot: String,
                      events: FetchEventHandler?) async throws(FetchError) -> String {
        let bare = try cachePath(for: repository, cacheRoot: cacheRoot)
        if !FileOps.isDirectory(bare) {
            try FileOps.createDirectory("\(cacheRoot)/git")
            let temporary = FileOps.temporarySibling(of: bare)
            events?(.git("git clone --bare \(repository)"))
            do throws(FetchError) {
                try await run(["git", "clone", "--bare", "--quiet", "--", repository, temporary])
                try FileOps.rename(temporary, to: bare)
            } catch {
                FileOps.remove(temporary)
                // Another fetch of the same repository may have finished its clone first.
                guard FileOps.isDirectory(bare) else { throw error }
            }
        }
        if try await hasCommit(commit, in: bare) { return bare }
        // Fetching the id directly is cheapest but servers may refuse unadvertised objects;
        // then take every branch and tag.
        events?(.git("git fetch \(repository) \(commit)"))
        _ = try await CommandRunner.run(["git", "--git-dir", bare, "fetch", "--quiet", "--", repository, commit],
                                        environment: environment)
        if try await hasCommit(commit, in: bare) { return bare }
        events?(.git("git fetch \(repository) (all branches and tags)"))
        try await run(["git", "--git-dir", bare, "fetch", "--quiet", "--force", "--tags", "--", repository,
                       "+refs/heads/*:refs/heads/*"])
        guard try await hasCommit(commit, in: bare) else {
            throw .gitCommitNotFound(repository: repository, commit: commit)
        }
        return bare
    }

    /// Checks out `commit` from the cached repository into `root` (which must not exist) and
    /// verifies that HEAD is that commit.
    static func checkout(bare: String, repository: String, commit: String, into root: String) async throws(FetchError) {
        guard !FileOps.exists(root) else {
            throw .io(path: root, reason: "already exists; a checkout is only made into a new directory")
        }
        do throws(FetchError) {
            try await run(["git", "clone", "--quiet", "--no-checkout", "--", bare, root])
            try await run(["git", "-C", root, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit])
            // Builds that run `git describe` or print the origin should see the real repository.
            try await run(["git", "-C", root, "remote", "set-url", "origin", repository])
            let head = try await CommandRunner.check(["git", "-C", root, "rev-parse", "HEAD"], environment: environment)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard head == commit else {
                throw .gitCommitMismatch(repository: repository, expected: commit, actual: head)
            }
        } catch {
            FileOps.remove(root)
            throw error
        }
    }

    private static func hasCommit(_ commit: String, in bare: String) async throws(FetchError) -> Bool {
        try await CommandRunner.run(["git", "--git-dir", bare, "cat-file", "-e", "\(commit)^{commit}"],
                                    environment: environment).status == 0
    }

    private static func run(_ arguments: [String]) async throws(FetchError) {
        try await CommandRunner.check(arguments, environment: environment)
    }
}
