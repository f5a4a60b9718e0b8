import Foundation

/// Loads and checks one project definition (`Projects/<name>.yml`).
package enum ProjectLoader {
    static let keys = ["name", "maintainer", "homepage", "description", "license", "install_dir", "version",
                       "iteration", "dependencies", "overrides", "runtime_dependencies", "conflicts", "replaces",
                       "provides", "config_files", "files", "users", "groups", "exclude", "pass_env", "require_license_files",
                       "package", "health_check", "platforms", "smoke_test", "flags"]

    /// - Parameter repositoryRoot: where `files:` sources are looked up; nil: the directory above
    ///   the one holding the definition (`Projects/`).
    package static func load(path: String, displayPath: String, kinds: DefinitionKinds,
                             repositoryRoot: String? = nil) throws(DefinitionError) -> Project {
        let root = try DefinitionFile.read(path: path, displayPath: displayPath)
        var problems = Diagnostics()
        let repository = repositoryRoot ?? URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path
        let project = decode(root, path: path, displayPath: displayPath, kinds: kinds, repositoryRoot: repository,
                             problems: &problems)
        try problems.throwIfAny()
        return project!
    }

    static func decode(_ root: YAMLValue, path: String, displayPath: String, kinds: DefinitionKinds,
                       repositoryRoot: String? = nil, problems: inout Diagnostics) -> Project? {
        guard let map = MappingReader(root, describing: "a project definition", allowed: keys, problems: &problems) else {
            return nil
        }
        let what = "the project"
        let name = map.string("name", required: what, problems: &problems)
        DefinitionFile.checkName(name, path: path, problems: &problems)
        if let name, !PackageName.isValid(name.value) {
            problems.error("project name '\(name.value)' is not a valid package name: \(PackageName.rule)", at: name.location)
        }
        let maintainer = map.string("maintainer", required: what, problems: &problems)
        if let maintainer, !looksLikeMaintainer(maintainer.value) {
            problems.error("'maintainer' must look like 'Name <email@example.com>', found '\(maintainer.value)'",
                           at: maintainer.location)
        }
        let homepage = map.string("homepage", required: what, problems: &problems)
        let license = map.string("license", problems: &problems)
        for field in [maintainer, homepage, license].compactMap({ $0 }) {
            checkSingleLine(field, name: ["maintainer", "homepage", "license"][[maintainer, homepage, license].firstIndex { $0 == field }!],
                            problems: &problems)
        }
        let version = decodeVersion(map, problems: &problems)
        if !map.has("dependencies") { map.missing("dependencies", in: what, problems: &problems) }
        let (dependencies, dependencyConditions) = ConditionalEntries.dependencies(map, problems: &problems)
        reportDuplicates(dependencies, what: "dependency", problems: &problems)
        let flags = ConditionalEntries.flags(map, problems: &problems)
        let iteration = map.int("iteration", problems: &problems)
        if let iteration, iteration.value < 1 {
            problems.error("'iteration' must be 1 or more, found \(iteration.value)", at: iteration.location)
        }
        let fallbackName = name?.value ?? DefinitionFile.expectedName(path: path)
        let installDir = decodeInstallDir(map, projectName: fallbackName, problems: &problems)
        var overrides: [String: Located<String>] = [:]
        for (key, value) in map.stringMap("overrides", problems: &problems) {
            overrides[key.text] = value
        }
        let configFiles = map.stringList("config_files", problems: &problems)
        for file in configFiles {
            if let problem = PackageFieldRules.configFileProblem(file.value, installDir: installDir) {
                problems.error("config file '\(file.value)' \(problem)", at: file.location)
            }
        }
        var relations: [String: [Located<String>]] = [:]
        for key in ["runtime_dependencies", "conflicts", "replaces", "provides"] {
            relations[key] = map.stringList(key, problems: &problems)
            for item in relations[key]! {
                if let problem = PackageFieldRules.dependencyProblem(item.value) { problems.error("'\(key)': \(problem)", at: item.location) }
            }
        }
        let exclude = map.stringList("exclude", problems: &problems)
        for pattern in exclude where ExcludeCheck.excludesEverything(pattern.value) {
            problems.error("'exclude' pattern '\(pattern.value)' leaves nothing to package", at: pattern.location)
        }
        let package = PackageSettingsDecoder.decode(map.value("package"), formats: kinds.formats, repositoryRoot: repositoryRoot,
                                                    problems: &problems)
        let healthCheck = HealthCheckSettingsDecoder.decode(map.value("health_check"), problems: &problems)
        let accounts = PackageFilesDecoder.decodeAccounts(map, problems: &problems)
        let owners = PackageFilesDecoder.AccountNames(
            users: Set(["root", package.user] + accounts.users.map(\.name)),
            groups: Set(["root", package.group] + accounts.groups + accounts.users.map(\.group)))
        let files = PackageFilesDecoder.decodeFiles(map.value("files"), installDir: installDir, repositoryRoot: repositoryRoot,
                                                    accounts: owners, problems: &problems)

        let platforms = decodePlatforms(map, problems: &problems)
        let smokeTest = map.string("smoke_test", problems: &problems)
        if let smokeTest, smokeTest.value.trimmingCharacters(in: .whitespaces).isEmpty || smokeTest.value.contains("\n") {
            problems.error("'smoke_test' must be one command line, such as \"\(installDir)/bin/\(fallbackName) --version\"",
                           at: smokeTest.location)
        }

        guard let name, let maintainer, let homepage, let version else { return nil }
        var project = Project(
            name: name.value, file: displayPath, maintainer: maintainer.value, homepage: homepage.value,
            description: map.string("description", problems: &problems)?.value ?? "\(name.value), built by omnibus",
            license: license?.value ?? "Unspecified",
            installDir: installDir, version: version, iteration: iteration?.value ?? 1,
            dependencies: dependencies, overrides: overrides,
            runtimeDependencies: relations["runtime_dependencies"]!.map(\.value),
            conflicts: relations["conflicts"]!.map(\.value),
            replaces: relations["replaces"]!.map(\.value),
            provides: relations["provides"]!.map(\.value),
            configFiles: configFiles.map(\.value),
            exclude: exclude.map(\.value),
            passEnv: decodePassEnv(map, problems: &problems),
            requireLicenseFiles: map.bool("require_license_files", problems: &problems)?.value ?? false,
            package: package, healthCheck: healthCheck)
        project.files = files
        project.users = accounts.users
        project.groups = accounts.groups
        project.platforms = platforms
        project.smokeTest = smokeTest?.value
        project.flags = flags
        project.dependencyConditions = dependencyConditions
        return project
    }

    /// `platforms:` names known platforms (or `host`), each once.
    static func decodePlatforms(_ map: MappingReader, problems: inout Diagnostics) -> [String] {
        let platforms = map.stringList("platforms", problems: &problems)
        reportDuplicates(platforms, what: "platform", problems: &problems)
        for platform in platforms {
            if let problem = TargetPlatform.unknownNameProblem(platform.value) {
                problems.error("'platforms': \(problem)", at: platform.location)
            }
        }
        if map.has("platforms"), platforms.isEmpty {
            problems.error("'platforms' must name at least one platform; leave it out to build on the host", at: map.key("platforms")!.location)
        }
        return platforms.map(\.value)
    }

    /// `pass_env:` names caller variables; a name with '=' or NUL, or an empty one, could not be one.
    static func decodePassEnv(_ map: MappingReader, problems: inout Diagnostics) -> [String] {
        let names = map.stringList("pass_env", problems: &problems)
        reportDuplicates(names, what: "pass_env name", problems: &problems)
        for name in names where name.value.isEmpty || name.value.contains("=") || name.value.contains("\u{0}") {
            problems.error("'\(map.path)pass_env': '\(DisplayText.escaped(name.value))' is not an environment variable name", at: name.location)
        }
        return names.map(\.value)
    }

    static func looksLikeMaintainer(_ text: String) -> Bool {
        guard let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close,
              text[text.index(after: open)..<close].contains("@") else { return false }
        return !text[..<open].trimmingCharacters(in: .whitespaces).isEmpty
    }

    static func decodeInstallDir(_ map: MappingReader, projectName: String, problems: inout Diagnostics) -> String {
        guard let dir = map.string("install_dir", problems: &problems) else { return "/opt/\(projectName)" }
        let path = PackageFieldRules.normalizedPath(dir.value)
        if let problem = PackageFieldRules.installDirProblem(dir.value, project: projectName) {
            problems.error(problem, at: dir.location)
        }
        return path
    }

    static func decodeVersion(_ map: MappingReader, problems: inout Diagnostics) -> ProjectVersion? {
        guard let value = map.value("version") else {
            map.missing("version", in: "the project", problems: &problems)
            return nil
        }
        if case .scalar = value {
            guard let literal = TypedValue.string(value, name: "version", problems: &problems) else { return nil }
            checkVersionText(literal, name: "version", problems: &problems)
            return .literal(literal.value)
        }
        guard let source = MappingReader(value, describing: "'version'", path: "version.",
                                         allowed: ["from", "variable", "default"], problems: &problems),
              let from = source.string("from", required: "'version' (use 'from: git' or 'from: env')", problems: &problems)
        else { return nil }
        switch from.value {
        case "git":
            for key in ["variable", "default"] where source.has(key) {
                problems.error("'version.\(key)' only applies to 'from: env'", at: source.key(key)!.location)
            }
            return .gitDescribe
        case "env":
            guard let variable = source.string("variable", required: "'version' with 'from: env'", problems: &problems)
            else { return nil }
            let fallback = source.string("default", problems: &problems)
            if let fallback { checkVersionText(fallback, name: "version.default", problems: &problems) }
            return .environment(variable: variable.value, fallback: fallback?.value)
        default:
            problems.error("'version.from' must be 'git' or 'env', found '\(from.value)'", at: from.location)
            return nil
        }
    }

    /// Package managers need a version with a digit and no spaces.
    static func checkVersionText(_ text: Located<String>, name: String, problems: inout Diagnostics) {
        if text.value.contains(where: \.isWhitespace) || !text.value.contains(where: \.isNumber) {
            problems.error("'\(name)' must contain a digit and no spaces, found '\(text.value)'", at: text.location)
        } else if let problem = PackageFieldRules.versionProblem(text.value) {
            problems.error("'\(name)': \(problem)", at: text.location)
        }
    }

    static func checkSingleLine(_ text: Located<String>, name: String, problems: inout Diagnostics) {
        if let problem = PackageFieldRules.singleLineProblem(name, text.value) { problems.error(problem, at: text.location) }
    }

    static func reportDuplicates(_ items: [Located<String>], what: String, problems: inout Diagnostics) {
        var seen: [String: SourceLocation] = [:]
        for item in items {
            if let first = seen[item.value] {
                problems.error("\(what) '\(item.value)' is listed twice (first at \(first.line):\(first.column))",
                               at: item.location)
            } else {
                seen[item.value] = item.location
            }
        }
    }
}
