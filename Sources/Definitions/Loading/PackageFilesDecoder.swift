import Foundation

/// Decodes a project's `files:`, `users:` and `groups:`, checking everything packaging would
/// later refuse: paths, sources in the repository, owners that will exist on the target.
enum PackageFilesDecoder {
    static let fileKeys = ["path", "type", "source", "target", "mode", "owner", "group"]
    static let userKeys = ["name", "group", "home", "shell", "comment"]

    static func decodeAccounts(_ map: MappingReader, problems: inout Diagnostics) -> (users: [SystemUser], groups: [String]) {
        let groups = map.stringList("groups", problems: &problems)
        ProjectLoader.reportDuplicates(groups, what: "group", problems: &problems)
        for group in groups {
            if let problem = PackageFieldRules.accountProblem("groups", group.value) { problems.error(problem, at: group.location) }
        }
        var users: [SystemUser] = []
        if let value = map.value("users") {
            guard case .sequence(let items, _) = value else {
                problems.error("'users' must be a list of {name, group, home, shell, comment} mappings, found \(value.kindDescription)",
                               at: value.location)
                return (users, groups.map(\.value))
            }
            var seen: [String: SourceLocation] = [:]
            for item in items {
                guard let entry = MappingReader(item, describing: "each item of 'users'", path: "users.", allowed: userKeys,
                                                problems: &problems),
                      let name = entry.string("name", required: "a user", problems: &problems) else { continue }
                if let problem = PackageFieldRules.accountProblem("users.name", name.value) { problems.error(problem, at: name.location) }
                if name.value == "root" { problems.error("'users': root always exists; list only accounts the package creates", at: name.location) }
                if let first = seen[name.value] {
                    problems.error("user '\(name.value)' is listed twice (first at \(first.line):\(first.column))", at: name.location)
                }
                seen[name.value] = name.location
                let group = entry.string("group", problems: &problems)
                if let group, let problem = PackageFieldRules.accountProblem("users.group", group.value) {
                    problems.error(problem, at: group.location)
                }
                var texts: [String: String] = [:]
                for key in ["home", "shell", "comment"] {
                    guard let text = entry.string(key, problems: &problems) else { continue }
                    if key != "comment", !text.value.hasPrefix("/") || !PackageFieldRules.isPlainPath(text.value) {
                        problems.error("'users.\(key)' must be an absolute path of letters, digits and '/._+-', found '\(text.value)'",
                                       at: text.location)
                    }
                    if key == "comment", text.value.contains(where: { $0.isNewline || $0 == ":" }) {
                        problems.error("'users.comment' must be one line without ':' (it is a field of /etc/passwd)", at: text.location)
                    }
                    texts[key] = text.value
                }
                users.append(SystemUser(name: name.value, group: group?.value, home: texts["home"], shell: texts["shell"],
                                        comment: texts["comment"]))
            }
        }
        return (users, groups.map(\.value))
    }

    static func decodeFiles(_ value: YAMLValue?, installDir: String, repositoryRoot: String?, accounts: AccountNames,
                            problems: inout Diagnostics) -> [PackageFile] {
        guard let value else { return [] }
        guard case .sequence(let items, _) = value else {
            problems.error("'files' must be a list of {path, type, source, target, mode, owner, group} mappings, found \(value.kindDescription)",
                           at: value.location)
            return []
        }
        var files: [PackageFile] = []
        var seen: [String: SourceLocation] = [:]
        for item in items {
            guard let entry = MappingReader(item, describing: "each item of 'files'", path: "files.", allowed: fileKeys,
                                            problems: &problems),
                  let path = entry.string("path", required: "a file", problems: &problems) else { continue }
            let normalized = PackageFieldRules.normalizedPath(path.value)
            if let problem = PackageFieldRules.packageFileProblem(path.value, installDir: installDir) {
                problems.error("'files': \(problem)", at: path.location)
            } else if let first = seen[normalized] {
                problems.error("'files': \(normalized) is listed twice (first at \(first.line):\(first.column))", at: path.location)
            }
            seen[normalized] = path.location
            let source = entry.string("source", problems: &problems)
            let target = entry.string("target", problems: &problems)
            let typeName = entry.string("type", problems: &problems)
            var type = typeName.flatMap { PackageSettingsDecoder.oneOf($0, PackageFile.typeNames, name: "files.type", problems: &problems) }
            if typeName == nil {
                // The keys given say what it is; only a bare path needs `type:`.
                type = source != nil ? "file" : target != nil ? "symlink" : nil
                if type == nil {
                    problems.error("'files': say what \(normalized) is: 'source:' (a file from the repository), 'target:' (a symlink) or 'type: directory'",
                                   at: path.location)
                    continue
                }
            }
            guard let type else { continue }
            let needsSource = type == "file" || type == "config"
            if needsSource, source == nil { entry.missing("source", in: "a '\(type)' entry of 'files' (a path in the repository)", problems: &problems) }
            if !needsSource, let source {
                problems.error("'files.source' only applies to type file or config, not \(type)", at: source.location)
            }
            if type == "symlink", target == nil { entry.missing("target", in: "a 'symlink' entry of 'files'", problems: &problems) }
            if type != "symlink", let target {
                problems.error("'files.target' only applies to type symlink, not \(type)", at: target.location)
            }
            if let source, needsSource {
                RepositoryFileCheck.check(source, key: "files.source", example: "PackageScripts/<project>/x.service",
                                          repositoryRoot: repositoryRoot, problems: &problems)
            }
            if let target, type == "symlink", target.value.isEmpty || target.value.contains(where: \.isNewline) {
                problems.error("'files.target' must be a non-empty path on one line", at: target.location)
            }
            let mode = decodeMode(entry, problems: &problems)
            if type == "symlink", let modeKey = entry.key("mode") {
                problems.error("'files.mode' does not apply to a symlink", at: modeKey.location)
            }
            let owner = entry.string("owner", problems: &problems)
            let group = entry.string("group", problems: &problems)
            if let owner, !accounts.users.contains(owner.value) {
                problems.error("'files.owner' '\(owner.value)' is neither root, package.user nor declared in 'users:'; the package creates only accounts it declares",
                               at: owner.location)
            }
            if let group, !accounts.groups.contains(group.value) {
                problems.error("'files.group' '\(group.value)' is neither root, package.group nor declared in 'groups:' or as a user's group",
                               at: group.location)
            }
            let kind: PackageFile.Kind = switch type {
            case "file": .file(source: source?.value ?? "")
            case "config": .config(source: source?.value ?? "")
            case "symlink": .symlink(target: target?.value ?? "")
            default: .directory
            }
            files.append(PackageFile(path: normalized, kind: kind, mode: mode, owner: owner?.value, group: group?.value,
                                     location: path.location))
        }
        return files
    }

    /// The accounts a file may be owned by: root, the package's owner, and what the project creates.
    struct AccountNames {
        var users: Set<String>
        var groups: Set<String>
    }

    private static func decodeMode(_ entry: MappingReader, problems: inout Diagnostics) -> UInt32? {
        guard let value = entry.value("mode") else { return nil }
        // YAML reads 0644 as a decimal or an octal number depending on the schema: only a string is unambiguous.
        guard case .scalar(let text, let quoted, _) = value, quoted else {
            problems.error("'files.mode' must be a quoted octal string such as \"0644\" (an unquoted number is read differently by YAML 1.1 and 1.2)",
                           at: value.location)
            return nil
        }
        let digits = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text
        guard !digits.isEmpty, digits.count <= 4, let mode = UInt32(digits, radix: 8), mode <= 0o7777 else {
            problems.error("'files.mode' must be an octal mode such as \"0644\" or \"0750\", found '\(text)'", at: value.location)
            return nil
        }
        return mode
    }
}
