import Definitions
import Foundation
import Graph
import Synchronization

/// A packaging repository opened for work: its config, its software search path, and the
/// resolution of its projects.
package struct Workspace: Sendable {
    package let repository: Repository
    package let config: RepositoryConfig

    /// - Parameters:
    ///   - root: the packaging repository (holds `Projects/`, `Software/`, `PackageScripts/`).
    ///   - extraSoftwareDirs: directories given on the command line, searched after the
    ///     configured ones and before the tool's library.
    ///   - kinds: the step, source and format kinds definitions may name.
    package init(root: String, extraSoftwareDirs: [String] = [], kinds: DefinitionKinds = Extensions.standard,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(DefinitionError) {
        let config = try RepositoryConfig.load(root: root)
        let fromEnvironment = (environment["OMNIBUS_SOFTWARE_DIRS"] ?? "").split(separator: ":").map(String.init)
        self.config = config
        self.repository = Repository(root: root,
                                     extraSoftwareDirs: config.softwareDirs + extraSoftwareDirs + fromEnvironment,
                                     librarySoftwareDir: ToolLibrary.softwareDir(environment: environment), kinds: kinds)
    }

    package func loadProject(_ name: String) throws(DefinitionError) -> Project {
        try repository.loadProject(name)
    }

    /// Loads a project and resolves its dependency graph for this machine with the project's
    /// default flags.
    package func resolve(_ projectName: String) throws(DefinitionError) -> BuildGraph {
        try resolve(projectName, platform: nil, flags: FlagChoices())
    }

    func resolver(cache: SoftwareCache) -> GraphResolver {
        GraphResolver(searched: repository.softwareDirsDescription,
                      knownNames: repository.allSoftware().map(\.name),
                      lookup: cache.lookup)
    }
}

/// Loads each software definition once per command, so a definition shared by many projects
/// is parsed (and its problems reported) once.
final class SoftwareCache: Sendable {
    private let repository: Repository
    private let results = Mutex<[String: SoftwareLookup]>([:])

    init(repository: Repository) {
        self.repository = repository
    }

    func lookup(_ name: String) -> SoftwareLookup {
        if let cached = results.withLock({ $0[name] }) { return cached }
        let result: SoftwareLookup
        if let path = repository.softwarePath(name) {
            do { result = .found(try repository.loadSoftware(path: path)) } catch { result = .invalid(error) }
        } else {
            result = .missing
        }
        results.withLock { $0[name] = result }
        return result
    }
}

extension Workspace {
    /// The settings for a command: its flags over the environment over this repository's
    /// `omnibus.config.yml` over the defaults.
    package func settings(_ flags: BuildSettings.Flags,
                          environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsError) -> BuildSettings {
        try BuildSettings.resolve(flags, config: config, repositoryRoot: repository.root, environment: environment)
    }
}
