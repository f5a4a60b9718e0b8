import Foundation

/// Decodes `build:` lists. Each step is a mapping with exactly one step name as its key.
enum StepDecoder {
    static func decodeList(_ value: YAMLValue?, name: String, directory: String,
                           problems: inout Diagnostics) -> [Located<BuildStep>] {
        guard let value else { return [] }
        guard case .sequence(let items, _) = value else {
            problems.error("'\(name)' must be a list of steps, found \(value.kindDescription)", at: value.location)
            return []
        }
        return items.compactMap { decodeStep($0, directory: directory, problems: &problems) }
    }

    static func decodeStep(_ item: YAMLValue, directory: String, problems: inout Diagnostics) -> Located<BuildStep>? {
        let kinds = BuildStep.kindNames.joined(separator: ", ")
        guard case .mapping(let pairs, let location) = item, pairs.count == 1, let (key, value) = pairs.first else {
            if case .scalar(let text, _, _) = item, BuildStep.kindNames.contains(text) {
                problems.error("a build step is a mapping: write '- \(text): []' (or with arguments), not '- \(text)'",
                               at: item.location)
            } else {
                problems.error("each build step must be a mapping with exactly one of: \(kinds); found \(item.kindDescription)",
                               at: item.location)
            }
            return nil
        }
        guard BuildStep.kindNames.contains(key.text) else {
            let hint = Suggestion.closest(to: key.text, in: BuildStep.kindNames).map { " (did you mean '\($0)'?)" }
                ?? " (expected one of: \(kinds))"
            problems.error("unknown build step '\(key.text)'\(hint)", at: key.location)
            return nil
        }
        var strings: [Located<String>] = []
        guard let step = decodeBody(key.text, value, strings: &strings, directory: directory, problems: &problems) else {
            return nil
        }
        for string in strings { Interpolation.check(string, problems: &problems) }
        return Located(step, at: location)
    }

    /// Decodes the step body, collecting its strings so variables are checked with exact positions.
    private static func decodeBody(_ kind: String, _ value: YAMLValue, strings: inout [Located<String>],
                                   directory: String, problems: inout Diagnostics) -> BuildStep? {
        func string(_ value: YAMLValue) -> String? {
            guard let text = TypedValue.string(value, name: kind, problems: &problems) else { return nil }
            strings.append(text)
            return text.value
        }
        func list(_ value: YAMLValue?, name: String) -> [String] {
            guard let value, !value.isNull else { return [] }
            let items = TypedValue.stringList(value, name: name, problems: &problems)
            strings += items
            return items.map(\.value)
        }
        func fields(_ allowed: [String]) -> MappingReader? {
            MappingReader(value, describing: "step '\(kind)'", path: "\(kind).", allowed: allowed, problems: &problems)
        }
        func field(_ map: MappingReader, _ key: String, required: Bool = true) -> String? {
            let text = map.string(key, required: required ? "step '\(kind)'" : nil, problems: &problems)
            if let text { strings.append(text) }
            return text?.value
        }

        switch kind {
        case "run":
            return string(value).map(BuildStep.run)
        case "configure":
            if case .mapping = value {
                guard let map = fields(["script", "args", "prefix"]) else { return nil }
                return .configure(script: field(map, "script", required: false) ?? "./configure",
                                  args: list(map.value("args"), name: "configure.args"),
                                  prefix: map.bool("prefix", problems: &problems)?.value ?? true)
            }
            return .configure(script: "./configure", args: list(value, name: "configure"), prefix: true)
        case "make":
            if case .mapping = value {
                guard let map = fields(["args", "parallel"]) else { return nil }
                return .make(args: list(map.value("args"), name: "make.args"),
                             parallel: map.bool("parallel", problems: &problems)?.value ?? true)
            }
            return .make(args: list(value, name: "make"), parallel: true)
        case "patch":
            var file: Located<String>?
            var strip = 1
            if case .mapping = value {
                guard let map = fields(["file", "strip"]) else { return nil }
                file = map.string("file", required: "step 'patch'", problems: &problems)
                if let value = map.int("strip", problems: &problems) {
                    if value.value < 0 { problems.error("'patch.strip' must be 0 or more, found \(value.value)", at: value.location) }
                    strip = value.value
                }
            } else {
                file = TypedValue.string(value, name: "patch", problems: &problems)
            }
            guard let file else { return nil }
            checkExists(file, what: "patch file", directory: directory, problems: &problems)
            return .patch(file: file.value, strip: strip)
        case "copy":
            guard let map = fields(["from", "to"]), let from = field(map, "from"), let to = field(map, "to") else { return nil }
            return .copy(from: from, to: to)
        case "link":
            guard let map = fields(["target", "path"]), let target = field(map, "target"), let path = field(map, "path")
            else { return nil }
            return .link(target: target, path: path)
        case "mkdir":
            return string(value).map(BuildStep.mkdir)
        case "delete":
            return string(value).map(BuildStep.delete)
        case "template":
            guard let map = fields(["source", "dest", "mode"]),
                  let source = map.string("source", required: "step 'template'", problems: &problems),
                  let dest = field(map, "dest") else { return nil }
            if let path = checkExists(source, what: "template", directory: directory, problems: &problems) {
                checkTemplateContents(path: path, shownAs: shownDirectory(of: source) + source.value, problems: &problems)
            }
            var mode: UInt32?
            if let text = map.string("mode", problems: &problems) {
                mode = UInt32(text.value, radix: 8)
                if mode == nil || mode! > 0o7777 {
                    problems.error("'template.mode' must be an octal mode such as \"0644\", found '\(text.value)'", at: text.location)
                }
            }
            return .template(source: source.value, dest: dest, mode: mode)
        default:
            return nil
        }
    }

    /// The definition's directory as the user sees it, for "not found" messages.
    static func shownDirectory(of text: Located<String>) -> String {
        let directory = (text.location.file as NSString).deletingLastPathComponent
        return directory.isEmpty ? "" : directory + "/"
    }

    /// Patch and template files live beside the definition; a missing one is caught before any build.
    /// Returns the file's path when it exists; a path built from variables is only checked
    /// for the variables' names (its value is known at build time).
    @discardableResult
    private static func checkExists(_ file: Located<String>, what: String, directory: String,
                                    problems: inout Diagnostics) -> String? {
        if file.value.contains("{{") {
            Interpolation.check(file, problems: &problems)
            return nil
        }
        let path = file.value.hasPrefix("/") ? file.value : directory + "/" + file.value
        guard FileManager.default.fileExists(atPath: path) else {
            problems.error("\(what) '\(file.value)' not found (paths are relative to \(shownDirectory(of: file).isEmpty ? "the definition's directory" : shownDirectory(of: file)))",
                           at: file.location)
            return nil
        }
        return path
    }

    /// A template's own `{{variables}}` are checked now, with their line and column in the template.
    private static func checkTemplateContents(path: String, shownAs: String, problems: inout Diagnostics) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            problems.error("template is not readable UTF-8 text", at: SourceLocation(file: shownAs, line: 1, column: 1))
            return
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains("{{") {
            Interpolation.check(Located(String(line), at: SourceLocation(file: shownAs, line: index + 1, column: 1)),
                                problems: &problems)
        }
    }
}
