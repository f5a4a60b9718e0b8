import ArgumentParser
import Foundation
import OmnibusKit

struct NewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a packaging repository for a new project, ready to build.",
        discussion: """
            The new directory becomes a git repository with one commit, because packages are \
            dated at the packaging repository's last commit (docs/packaging.md, "Package dates"). \
            The commit uses your git identity, or omnibus <omnibus@localhost> when git has none. \
            Inside an existing git work tree nothing is committed; without git the files are \
            written all the same and a warning says what date the packages will carry.
            """)

    @Argument(help: "The project name (a valid deb and rpm package name).")
    var name: String

    @Option(help: ArgumentHelp("Where to create it (default: ./omnibus-<name>).", valueName: "dir"))
    var path: String?

    @Flag(help: "Write into an existing non-empty directory, replacing the skeleton's files.")
    var force = false

    func run() async throws {
        let generator: SkeletonGenerator
        do { generator = try SkeletonGenerator(name: name) } catch {
            throw CommandFailure(.badInput, error.description)
        }
        let directory = path ?? "omnibus-\(name)"
        let written: [String]
        do {
            written = try generator.write(to: directory, force: force)
        } catch {
            throw CommandFailure(.badInput, error.description)
        }
        print("created \(directory) (\(written.count) files):")
        written.forEach { print("  \($0)") }
        let outcome = await SkeletonGitRepository(directory: directory, files: written, projectName: name).create()
        switch outcome {
        case .committed(_, let fallbackIdentity):
            print("made it a git repository with one commit: packages are dated at the last commit")
            if fallbackIdentity {
                print("the commit's author is \(SkeletonGitRepository.fallbackName) <\(SkeletonGitRepository.fallbackEmail)> because git has no user.name or user.email;"
                      + " set yours (git config --global user.name/user.email) and run `git commit --amend --reset-author --no-edit` to make it yours")
            }
        case .insideExistingRepository(let toplevel):
            print("\(directory) is inside the git repository \(toplevel): nothing was committed; packages are dated at that repository's last commit, so commit these files")
        case .failed(let reason):
            OmnibusCommand.printError("""
                warning: \(directory) is not committed to git (\(reason)). Until it is, its packages are dated \
                2000-01-01 (epoch \(SourceDateEpoch.fallback)), the date used when no commit can be read, unless \
                SOURCE_DATE_EPOCH is set. To commit: cd \(directory) && git init && git add -A && git commit -m 'First commit'
                """)
        }
        print("\nnext:\n  cd \(directory)\n  omnibus build \(name)")
    }
}
