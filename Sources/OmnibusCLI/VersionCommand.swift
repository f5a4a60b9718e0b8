import ArgumentParser
import OmnibusKit

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the tool's version and the libraries it runs with.")

    func run() {
        print("omnibus \(OmnibusVersion.current)")
        OmnibusVersion.libraries.forEach { print($0) }
    }
}
