import Definitions
import Foundation
import Graph

/// A packaging repository opened for work: its config, its software search path, and the
/// resolution of its projects.
package struct Workspace: Sendable {
    package let repository: Repository
    package let config: RepositoryConfig

    /// - Parameters:
    ///   - root: the packaging repository (holds `Projects/`, `Software/`, `PackageScripts/`).
    ///   - extraSoftwareDirs: directories given on the command line, searched after the
    ///     configured ones and before the tool's library.
    package init(root: String, extraSoftwareDirs: [String] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(DefinitionError) {
        let config = try RepositoryConfig.load(root: root)
        let fromEnvironment = (environment["OMNIBUS_SOFTWARE_DIRS"] ?? "").split(separator: ":").map(String.init)
        self.config = config
        self.repository = Repository(root: root,
                                     extraSoftwareDirs: config.softwareDirs + extraSoftwareDirs + fromEnvironment,
                                     librarySoftwareDir: ToolLibrary.softwareDir(environment: environment))
    }

    package func loadProject(_ name: String) throws(DefinitionError) -> Project {
        try repository.loadProject(name)
    }

    /// Loads a project and resolves its dependency graph.
    package func resolve(_ projectName: String) throws(DefinitionError) -> BuildGraph {
        let project = try loadProject(projectName)
        return try resolver(cache: SoftwareCache(repository: repository)).resolve(project)
    }

    func resolver(cache: SoftwareCache) -> GraphResolver {
        GraphResolver(searched: repository.softwareDirsDescription,
                      knownNames: repository.allSoftware().map(\.name),
                      lookup: cache.lookup)
    }
}

/// Loads each software definition once per command, so a definition shared by many projects
/// is parsed (and its problems reported) once.
final class SoftwareCache: @unchecked Sendable {
    private let repository: Repository
    private var results: [String: SoftwareLookup] = [:]
    private let lock = NSLock()

    init(repository: Repository) {
        self.repository = repository
    }

    func lookup(_ name: String) -> SoftwareLookup {
        lock.lock()
        defer { lock.unlock() }
        if let cached = results[name] { return cached }
        let result: SoftwareLookup
        if let path = repository.softwarePath(name) {
            do { result = .found(try repository.loadSoftware(path: path)) } catch { result = .invalid(error) }
        } else {
            result = .missing
        }
        results[name] = result
        return result
    }
}
