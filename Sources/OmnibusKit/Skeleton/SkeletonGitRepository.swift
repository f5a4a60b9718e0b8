import Foundation
import Spawning

/// Makes a freshly written skeleton a git repository with one commit. Packages are dated at the
/// packaging repository's last commit (`SourceDateEpoch`); without a commit they would carry the
/// fixed fallback date, which looks like a bug to anyone who runs `dpkg -c` on a first package.
package struct SkeletonGitRepository {
    package let directory: String
    package let files: [String]
    package let projectName: String
    package var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Used only for what the user has not configured, so their own identity always wins.
    package static let fallbackName = "omnibus"
    package static let fallbackEmail = "omnibus@localhost"

    package enum Outcome: Sendable, Equatable {
        /// A new repository with one commit of the skeleton's files. `fallbackIdentity` says the
        /// commit was made as `omnibus <omnibus@localhost>` because git knew no user name or email.
        case committed(epoch: Int, fallbackIdentity: Bool)
        /// The directory already belongs to a git work tree (`--force`, or a monorepo): nothing is
        /// initialised or committed there, because the user's history is theirs to write.
        case insideExistingRepository(toplevel: String)
        /// git is missing or refused; the files are written all the same.
        case failed(reason: String)
    }

    package init(directory: String, files: [String], projectName: String) {
        self.directory = directory
        self.files = files
        self.projectName = projectName
    }

    package func create() async -> Outcome {
        if let toplevel = try? await git(["rev-parse", "--show-toplevel"]), toplevel.status == 0 {
            return .insideExistingRepository(toplevel: toplevel.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        do {
            try await succeed(["init", "--quiet"], doing: "git init")
            // Only the skeleton's own files: with --force the directory may hold other things.
            try await succeed(["add", "--"] + files, doing: "git add")
            // Filling only the keys git lacks keeps GIT_AUTHOR_NAME and the like winning, as they
            // would in any other commit.
            var identity: [String] = []
            if try await configured("user.name") == false { identity += ["-c", "user.name=\(Self.fallbackName)"] }
            if try await configured("user.email") == false { identity += ["-c", "user.email=\(Self.fallbackEmail)"] }
            try await succeed(identity + ["commit", "--quiet", "-m", "Packaging repository for \(projectName), from omnibus new"],
                              doing: "git commit")
            let made = try await git(["log", "-1", "--format=%ct %ae"])
            let fields = made.output.split(whereSeparator: \.isWhitespace)
            guard made.status == 0, fields.count == 2, let epoch = Int(fields[0]) else {
                return .failed(reason: "git log cannot read the new commit: \(made.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            let fallback = fields[1] == Self.fallbackEmail
            return .committed(epoch: epoch, fallbackIdentity: fallback)
        } catch {
            return .failed(reason: error.description)
        }
    }

    private struct GitFailure: Error, CustomStringConvertible {
        let description: String
    }

    private func git(_ arguments: [String]) async throws(GitFailure) -> (status: Int32, output: String) {
        do {
            return try await ChildProcess(["git", "-C", directory] + arguments, environment: environment).capture()
        } catch {
            throw GitFailure(description: error.description)
        }
    }

    private func succeed(_ arguments: [String], doing what: String) async throws(GitFailure) {
        let result = try await git(arguments)
        guard result.status == 0 else {
            let said = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitFailure(description: "\(what) exited with status \(result.status)\(said.isEmpty ? "" : ": " + said)")
        }
    }

    /// Whether git's config files hold this identity key; for the email, `EMAIL` counts too,
    /// because git reads it only when the config has no `user.email` (a `-c` would hide it).
    private func configured(_ key: String) async throws(GitFailure) -> Bool {
        if key == "user.email", let email = environment["EMAIL"], !email.isEmpty { return true }
        let result = try await git(["config", "--get", key])
        return result.status == 0 && !result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
