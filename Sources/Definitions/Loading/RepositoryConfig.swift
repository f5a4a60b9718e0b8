import Foundation

/// Optional `omnibus.config.yml` at the root of a packaging repository: settings that belong to
/// the repository rather than to one project.
public struct RepositoryConfig: Sendable, Equatable {
    public static let fileName = "omnibus.config.yml"

    /// Extra software directories, searched after the repository's own `Software/`.
    public var softwareDirs: [String] = []
    /// Source mirrors (directories or URLs), tried before upstream URLs.
    public var sourceMirrors: [String] = []
    public var cacheDir: String?
    public var workDir: String?

    public init() {}

    /// Loads the config if the repository has one; paths are made absolute against the root.
    public static func load(root: String) throws(DefinitionError) -> RepositoryConfig {
        let path = root + "/" + fileName
        var config = RepositoryConfig()
        guard FileManager.default.fileExists(atPath: path) else { return config }
        let value = try DefinitionFile.read(path: path, displayPath: fileName)
        var problems = Diagnostics()
        if let map = MappingReader(value, describing: "the repository config",
                                   allowed: ["software_dirs", "source_mirrors", "cache_dir", "work_dir"],
                                   problems: &problems) {
            func absolute(_ path: String) -> String {
                path.hasPrefix("/") || path.contains("://") ? path : root + "/" + path
            }
            config.softwareDirs = map.stringList("software_dirs", problems: &problems).map { absolute($0.value) }
            config.sourceMirrors = map.stringList("source_mirrors", problems: &problems).map { absolute($0.value) }
            config.cacheDir = map.string("cache_dir", problems: &problems).map { absolute($0.value) }
            config.workDir = map.string("work_dir", problems: &problems).map { absolute($0.value) }
        }
        try problems.throwIfAny()
        return config
    }
}
