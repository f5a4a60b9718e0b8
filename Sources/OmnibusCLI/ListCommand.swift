import ArgumentParser
import OmnibusKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the projects and the software definitions with their versions.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let listing = try global.workspace().listing()
        print("Projects (\(listing.projectsDir)/):")
        if listing.projects.isEmpty { print("  (none)") }
        printTable(listing.projects)
        print("")
        print("Software (\(listing.softwareDirs)):")
        printTable(listing.software)
        if !listing.invalid.isEmpty {
            throw CommandFailure(.badInput, "invalid definitions: \(listing.invalid.joined(separator: ", ")); run 'omnibus validate' for details")
        }
    }

    private func printTable(_ rows: [Listing.Row]) {
        let first = rows.map(\.name.count).max() ?? 0
        let second = rows.map(\.version.count).max() ?? 0
        for row in rows {
            print("  " + row.name.padding(toLength: first, withPad: " ", startingAt: 0) + "  "
                  + row.version.padding(toLength: second, withPad: " ", startingAt: 0) + "  " + row.detail)
        }
    }
}
