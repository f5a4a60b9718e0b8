import ArgumentParser
import OmnibusKit

/// `omnibus manual`: the man page, generated from the commands themselves. Hidden because it
/// is for packagers (the self-hosting package installs its output as share/man/man1/omnibus.1),
/// not for daily use.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual",
        abstract: "Print the man page (roff) generated from the commands: omnibus manual > omnibus.1; man -l omnibus.1",
        shouldDisplay: false)

    func run() throws {
        let tree: CommandTree
        do { tree = try CommandTree.decode(OmnibusCommand._dumpHelp()) } catch {
            throw CommandFailure(.failure, error.description)
        }
        print(ManualPage(tree: tree, version: "omnibus \(OmnibusVersion.current)").render(), terminator: "")
    }
}
