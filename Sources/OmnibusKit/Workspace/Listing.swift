import Definitions
import Graph

/// Bad input the user must fix (definitions, names, settings): commands end with exit 2.
package protocol BadInputError: Error, CustomStringConvertible {}

extension DefinitionError: BadInputError {}

/// A project graph rendered the ways `omnibus graph` offers.
package typealias GraphFormat = GraphRenderer.Format
/// `--with` and `--without`, under the name commands use.
package typealias FeatureChoices = FlagChoices

/// What `omnibus list` shows: every project and software definition, one row each.
package struct Listing: Sendable {
    package struct Row: Sendable {
        package let name: String
        package let version: String
        /// The install dir for a project, the definition file for a software, or what to run.
        package let detail: String
    }

    package let projectsDir: String
    package let softwareDirs: String
    package let projects: [Row]
    package let software: [Row]
    /// Names whose definitions do not load.
    package let invalid: [String]
}

extension Workspace {
    package func listing() -> Listing {
        var invalid: [String] = []
        let projects = repository.projectNames().map { name -> Listing.Row in
            guard let project = try? repository.loadProject(name) else {
                invalid.append(name)
                return .init(name: name, version: "(invalid)", detail: "run 'omnibus validate \(name)'")
            }
            return .init(name: name, version: Self.describe(project.version), detail: project.installDir)
        }
        let software = repository.allSoftware().map { entry -> Listing.Row in
            let file = repository.display(entry.path)
            guard let software = try? repository.loadSoftware(path: entry.path) else {
                invalid.append(entry.name)
                return .init(name: entry.name, version: "(invalid)", detail: file)
            }
            let others = software.versionNames.filter { $0 != software.defaultVersion.value }
            let versions = software.defaultVersion.value + (others.isEmpty ? "" : " (also \(others.joined(separator: ", ")))")
            return .init(name: entry.name, version: versions, detail: file)
        }
        return Listing(projectsDir: repository.display(repository.projectsDir), softwareDirs: repository.softwareDirsDescription,
                       projects: projects, software: software, invalid: invalid)
    }

    /// `omnibus graph`: the project's dependency graph as text, Graphviz dot or JSON.
    package func renderGraph(_ projectName: String, as format: GraphFormat, platform: String? = nil,
                             flags: FlagChoices = FlagChoices()) throws(DefinitionError) -> String {
        GraphRenderer.render(try resolve(projectName, platform: platform, flags: flags), as: format)
    }

    private static func describe(_ version: ProjectVersion) -> String {
        switch version {
        case .literal(let text): text
        case .gitDescribe: "(git describe)"
        case .environment(let variable, let fallback): "($\(variable)\(fallback.map { ", default \($0)" } ?? ""))"
        }
    }
}
