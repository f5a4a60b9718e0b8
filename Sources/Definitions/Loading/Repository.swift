import Foundation

/// A packaging repository: its projects, and the ordered directories software is looked up in
/// (the repository's own `Software/`, then configured extra directories, then the tool's library).
package struct Repository: Sendable {
    package let root: String
    package let softwareDirs: [String]
    /// The step, source and format kinds definitions may name.
    package let kinds: DefinitionKinds

    package init(root: String, extraSoftwareDirs: [String] = [], librarySoftwareDir: String?, kinds: DefinitionKinds) {
        self.kinds = kinds
        let root = Repository.standardize(root)
        self.root = root
        var dirs = [root + "/Software"] + extraSoftwareDirs.map(Repository.standardize)
        if let library = librarySoftwareDir.map(Repository.standardize), !dirs.contains(library) { dirs.append(library) }
        self.softwareDirs = dirs
    }

    package var projectsDir: String { root + "/Projects" }

    /// A path as the user should see it: relative to the repository when inside it.
    package func display(_ path: String) -> String {
        let path = Repository.standardize(path)
        if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        return path
    }

    /// Directory names as shown in "looked in" messages.
    package var softwareDirsDescription: String {
        softwareDirs.map { display($0) + "/" }.joined(separator: ", ")
    }

    package func projectNames() -> [String] { definitionNames(in: projectsDir) }

    package func projectPath(_ name: String) -> String? {
        ["yml", "yaml"].map { "\(projectsDir)/\(name).\($0)" }.first(where: FileManager.default.fileExists)
    }

    package func loadProject(_ name: String) throws(DefinitionError) -> Project {
        guard let path = projectPath(name) else {
            let known = projectNames()
            let hint = Suggestion.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            let list = known.isEmpty ? "there are no projects in \(display(projectsDir))/"
                                     : "projects: \(known.joined(separator: ", "))"
            throw DefinitionError([Diagnostic("unknown project '\(name)'\(hint); \(list)", at: nil)])
        }
        return try ProjectLoader.load(path: path, displayPath: display(path), kinds: kinds, repositoryRoot: root)
    }

    /// The definition file that provides `name`: the first software directory that has it wins.
    package func softwarePath(_ name: String) -> String? {
        for dir in softwareDirs {
            for ext in ["yml", "yaml"] where FileManager.default.fileExists(atPath: "\(dir)/\(name).\(ext)") {
                return "\(dir)/\(name).\(ext)"
            }
        }
        return nil
    }

    /// Every software name visible from this repository, each with the file that wins the lookup.
    package func allSoftware() -> [(name: String, path: String)] {
        var seen = Set<String>()
        var result: [(String, String)] = []
        for dir in softwareDirs {
            for name in definitionNames(in: dir) where seen.insert(name).inserted {
                if let path = softwarePath(name) { result.append((name, path)) }
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    package func loadSoftware(path: String) throws(DefinitionError) -> Software {
        try SoftwareLoader.load(path: path, displayPath: display(path), kinds: kinds)
    }

    private func definitionNames(in dir: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .map { DefinitionFile.expectedName(path: $0) }
            .sorted()
    }

    static func standardize(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}
