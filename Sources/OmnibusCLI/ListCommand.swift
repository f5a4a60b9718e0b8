import ArgumentParser
import Definitions

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the projects and the software definitions with their versions.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let repository = try global.workspace().repository
        var problems: [String] = []
        print("Projects (\(repository.display(repository.projectsDir))/):")
        let projects = repository.projectNames().map { name -> (String, String, String) in
            guard let project = try? repository.loadProject(name) else {
                problems.append(name)
                return (name, "(invalid)", "run 'omnibus validate \(name)'")
            }
            return (name, describe(project.version), project.installDir)
        }
        if projects.isEmpty { print("  (none)") }
        printTable(projects)
        print("")
        print("Software (\(repository.softwareDirsDescription)):")
        let rows = repository.allSoftware().map { entry -> (String, String, String) in
            let file = repository.display(entry.path)
            guard let software = try? repository.loadSoftware(path: entry.path) else {
                problems.append(entry.name)
                return (entry.name, "(invalid)", file)
            }
            let others = software.versionNames.filter { $0 != software.defaultVersion.value }
            let versions = software.defaultVersion.value + (others.isEmpty ? "" : " (also \(others.joined(separator: ", ")))")
            return (entry.name, versions, file)
        }
        printTable(rows)
        if !problems.isEmpty {
            throw CommandFailure(.badInput, "invalid definitions: \(problems.joined(separator: ", ")); run 'omnibus validate' for details")
        }
    }

    private func printTable(_ rows: [(String, String, String)]) {
        let first = rows.map(\.0.count).max() ?? 0
        let second = rows.map(\.1.count).max() ?? 0
        for (a, b, c) in rows {
            print("  " + a.padding(toLength: first, withPad: " ", startingAt: 0) + "  "
                  + b.padding(toLength: second, withPad: " ", startingAt: 0) + "  " + c)
        }
    }

    private func describe(_ version: ProjectVersion) -> String {
        switch version {
        case .literal(let text): text
        case .gitDescribe: "(git describe)"
        case .environment(let variable, let fallback): "($\(variable)\(fallback.map { ", default \($0)" } ?? ""))"
        }
    }
}
