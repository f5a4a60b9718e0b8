import Foundation

/// Renders the command tree as a man(7) page: one page for the tool, a subsection per command,
/// its arguments and options as tagged paragraphs. No date in the header, so the same tool
/// always gives the same bytes (the page is part of the self-hosting package).
struct ManualPage {
    let tree: CommandTree
    let version: String

    func render() -> String {
        let root = tree.command
        var lines = [
            ".TH \(Self.quoted(root.commandName.uppercased())) 1 \"\" \(Self.quoted(version)) \"User Commands\"",
            // Option names must not be split across lines.
            ".nh",
            ".SH NAME",
            "\(Self.escaped(root.commandName)) \\- \(Self.escaped(root.abstract ?? ""))",
            ".SH SYNOPSIS",
            ".B \(Self.escaped(root.commandName))",
            ".I command",
            "[\\fIoptions\\fR]",
            ".SH DESCRIPTION",
        ]
        lines += Self.paragraphs(root.discussion)
        lines += Self.arguments(root.arguments, root: true)
        lines.append(".SH COMMANDS")
        for command in Self.shown(root.subcommands) {
            lines += Self.section(command, path: [root.commandName])
        }
        lines += [".SH SEE ALSO", "\\fIomnibus help\\fR \\fIcommand\\fR, \\fIomnibus\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every displayed command, nested ones included, in the order of `--help`.
    static func commandNames(_ tree: CommandTree) -> [String] {
        func walk(_ command: CommandTree.Command, _ path: [String]) -> [String] {
            shown(command.subcommands).flatMap { [(path + [$0.commandName]).joined(separator: " ")] + walk($0, path + [$0.commandName]) }
        }
        return walk(tree.command, [tree.command.commandName])
    }

    private static func shown(_ commands: [CommandTree.Command]?) -> [CommandTree.Command] {
        (commands ?? []).filter { ($0.shouldDisplay ?? true) && $0.commandName != "help" }
    }

    private static func section(_ command: CommandTree.Command, path: [String]) -> [String] {
        let path = path + [command.commandName]
        let positionals = (command.arguments ?? []).filter { $0.kind == "positional" && $0.shouldDisplay }.map { argument in
            let name = "<\(argument.valueName ?? "value")>" + (argument.isRepeating ? " ..." : "")
            return argument.isOptional ? "[\(name)]" : name
        }
        var lines = [".SS \(quoted((path + positionals).joined(separator: " ")))"]
        lines += paragraphs(command.abstract)
        lines += paragraphs(command.discussion)
        lines += arguments(command.arguments)
        for sub in shown(command.subcommands) { lines += section(sub, path: path) }
        return lines
    }

    /// `--help` is everywhere and said once in SEE ALSO; `--version` belongs to the root only
    /// (ArgumentParser lists it under every subcommand too).
    private static func arguments(_ arguments: [CommandTree.Argument]?, root: Bool = false) -> [String] {
        let skipped = root ? ["help"] : ["help", "version"]
        return (arguments ?? []).filter { argument in
            argument.shouldDisplay && argument.names?.contains { skipped.contains($0.name) } != true
        }.flatMap { argument in
            var help = argument.abstract ?? ""
            if let values = argument.allValues, !values.isEmpty, !help.contains(values.joined(separator: ", ")) {
                help += " One of: \(values.joined(separator: ", "))."
            }
            if let value = argument.defaultValue, !value.isEmpty { help += " (default: \(value))" }
            return [".TP", label(argument)] + textLines(help) + paragraphs(argument.discussion, tagged: true)
        }
    }

    /// `--root dir`, `-j, --jobs n`, `project` (bold names, italic values).
    private static func label(_ argument: CommandTree.Argument) -> String {
        let repeating = argument.isRepeating ? " \\&..." : ""
        guard argument.kind != "positional" else {
            let name = argument.valueName ?? "value"
            return (argument.isOptional ? "[\\fI\(escaped(name))\\fR]" : "\\fI\(escaped(name))\\fR") + repeating
        }
        let names = (argument.names ?? []).map { name -> String in
            let dashes = name.kind == "long" ? "--" : "-"
            return "\\fB" + escaped(dashes + name.name) + "\\fR"
        }.joined(separator: ", ")
        let value = argument.kind == "option" ? " \\fI\(escaped(argument.valueName ?? "value"))\\fR" : ""
        return names + value + repeating
    }

    private static func paragraphs(_ text: String?, tagged: Bool = false) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.components(separatedBy: "\n\n").flatMap { [tagged ? ".IP" : ".PP"] + textLines($0) }
    }

    /// Text lines that roff cannot mistake for requests.
    private static func textLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let text = escaped(line.trimmingCharacters(in: .whitespaces))
            return text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
        }
    }

    /// Backslashes would start escapes; hyphens are written as `\-` so they stay ASCII hyphens
    /// (what a user copies into a shell) instead of typographic ones.
    static func escaped(_ text: some StringProtocol) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    }

    static func quoted(_ text: String) -> String {
        "\"" + escaped(text).replacingOccurrences(of: "\"", with: "\\(dq") + "\""
    }
}
