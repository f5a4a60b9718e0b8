import Foundation

/// Optional `omnibus.config.yml` at the root of a packaging repository: settings that belong to
/// the repository rather than to one project.
package struct RepositoryConfig: Sendable, Equatable {
    package static let fileName = "omnibus.config.yml"

    /// Extra software directories, searched after the repository's own `Software/`.
    package var softwareDirs: [String] = []
    /// Source mirrors (directories or URLs), tried before upstream URLs.
    package var sourceMirrors: [String] = []
    package var cacheDir: String?
    package var workDir: String?

    package init() {}

    /// Loads the config if the repository has one; paths are made absolute against the root.
    package static func load(root: String) throws(DefinitionError) -> RepositoryConfig {
        var config = RepositoryConfig()
        let names = [fileName, fileName.replacingOccurrences(of: ".yml", with: ".yaml")]
        guard let name = names.first(where: { FileManager.default.fileExists(atPath: root + "/" + $0) }) else { return config }
        let path = root + "/" + name
        let text = try DefinitionFile.text(path: path, displayPath: name)
        // An empty config file means "all defaults".
        if text.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") || $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return config
        }
        let value = try DefinitionFile.parse(text, displayPath: name)
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
