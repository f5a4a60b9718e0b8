import Foundation
import OmnibusKit
import Testing

/// `omnibus new` commits the skeleton so its packages are dated at that commit; git itself says
/// what was committed and by whom.
@Suite struct SkeletonGitRepositoryTests {
    static let hasGit = FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    /// A directory with a freshly written skeleton, and an environment whose git config is only
    /// what the test writes (no system or user config of the machine running the tests).
    func skeleton(globalConfig: String?) throws -> (directory: String, files: [String], environment: [String: String]) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("skelgit-\(UUID().uuidString)").path
        let directory = base + "/repo"
        let files = try SkeletonGenerator(name: "demo").write(to: directory, force: false)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") && $0.key != "EMAIL" }
        environment["HOME"] = base
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        if let globalConfig {
            try globalConfig.write(toFile: base + "/.gitconfig", atomically: true, encoding: .utf8)
        }
        return (directory, files, environment)
    }

    func git(_ arguments: [String], in directory: String, environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", directory] + arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: hasGit, "needs git")) func commitsEveryFileWithTheUsersIdentity() async throws {
        let (directory, files, environment) = try skeleton(globalConfig: "[user]\n\tname = Pat Doe\n\temail = pat@example.org\n")
        var repository = SkeletonGitRepository(directory: directory, files: files, projectName: "demo")
        repository.environment = environment
        let outcome = await repository.create()
        let time = try git(["log", "-1", "--format=%ct"], in: directory, environment: environment)
        #expect(outcome == .committed(epoch: Int(time) ?? -1, fallbackIdentity: false))
        #expect(try git(["log", "--format=%an <%ae>|%cn <%ce>"], in: directory, environment: environment) == "Pat Doe <pat@example.org>|Pat Doe <pat@example.org>")
        #expect(try git(["ls-files"], in: directory, environment: environment).split(separator: "\n").map(String.init).sorted() == files.sorted())
        #expect(try git(["status", "--porcelain"], in: directory, environment: environment).isEmpty, "nothing left uncommitted")
        // The executable bit of the package script is part of the commit (a fresh clone keeps it).
        #expect(try git(["ls-files", "-s", "PackageScripts/demo/postinst"], in: directory, environment: environment).hasPrefix("100755"))
    }

    @Test(.enabled(if: hasGit, "needs git")) func withoutAnIdentityCommitsAsOmnibus() async throws {
        let (directory, files, environment) = try skeleton(globalConfig: nil)
        var repository = SkeletonGitRepository(directory: directory, files: files, projectName: "demo")
        repository.environment = environment
        guard case .committed(_, let fallback) = await repository.create() else {
            Issue.record("no commit")
            return
        }
        #expect(fallback)
        #expect(try git(["log", "--format=%an <%ae>"], in: directory, environment: environment) == "omnibus <omnibus@localhost>")
        // Only for that commit: the repository's config is left without an identity.
        #expect(try String(contentsOfFile: directory + "/.git/config", encoding: .utf8).contains("omnibus@localhost") == false)
    }

    /// Half an identity: the user's name is kept, only the missing email is filled in.
    @Test(.enabled(if: hasGit, "needs git")) func fillsOnlyWhatIsMissing() async throws {
        let (directory, files, environment) = try skeleton(globalConfig: "[user]\n\tname = Pat Doe\n")
        var repository = SkeletonGitRepository(directory: directory, files: files, projectName: "demo")
        repository.environment = environment
        guard case .committed(_, true) = await repository.create() else {
            Issue.record("no commit, or the fallback email was not reported")
            return
        }
        #expect(try git(["log", "--format=%an <%ae>"], in: directory, environment: environment) == "Pat Doe <omnibus@localhost>")
    }

    /// With --force into a directory of the user's, only the skeleton's files are committed.
    @Test(.enabled(if: hasGit, "needs git")) func commitsOnlyTheSkeletonsFiles() async throws {
        let (directory, files, environment) = try skeleton(globalConfig: nil)
        try "mine".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        var repository = SkeletonGitRepository(directory: directory, files: files, projectName: "demo")
        repository.environment = environment
        _ = await repository.create()
        #expect(try git(["status", "--porcelain"], in: directory, environment: environment) == "?? notes.txt")
    }

    @Test(.enabled(if: hasGit, "needs git")) func insideAnotherRepositoryNothingIsCommitted() async throws {
        let (directory, _, environment) = try skeleton(globalConfig: nil)
        let outer = (directory as NSString).deletingLastPathComponent
        _ = try git(["init", "--quiet"], in: outer, environment: environment)
        let nested = directory + "/nested"
        let files = try SkeletonGenerator(name: "demo").write(to: nested, force: false)
        var repository = SkeletonGitRepository(directory: nested, files: files, projectName: "demo")
        repository.environment = environment
        let outcome = await repository.create()
        let toplevel = try git(["rev-parse", "--show-toplevel"], in: outer, environment: environment)
        #expect(outcome == .insideExistingRepository(toplevel: toplevel))
        #expect(!FileManager.default.fileExists(atPath: nested + "/.git"))
    }

    @Test func withoutGitTheReasonSaysSo() async throws {
        let (directory, files, environment) = try skeleton(globalConfig: nil)
        var repository = SkeletonGitRepository(directory: directory, files: files, projectName: "demo")
        repository.environment = environment.merging(["PATH": "/nonexistent"]) { $1 }
        let outcome = await repository.create()
        guard case .failed(let reason) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(reason.contains("`git` is not installed or not on PATH"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/.git"))
    }
}
