import Foundation

/// The command tree as ArgumentParser describes it (`--experimental-dump-help`, "ToolInfo"
/// version 0): only the fields the manual page shows. Read from the parser rather than written
/// again by hand, so the page cannot drift from `--help`.
struct CommandTree: Decodable {
    struct Command: Decodable {
        let commandName: String
        let abstract: String?
        let discussion: String?
        let shouldDisplay: Bool?
        let subcommands: [Command]?
        let arguments: [Argument]?
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            let kind: String
            let name: String
        }

        let kind: String
        let shouldDisplay: Bool
        let isOptional: Bool
        let isRepeating: Bool
        let names: [Name]?
        let valueName: String?
        let defaultValue: String?
        let allValues: [String]?
        let abstract: String?
        let discussion: String?
    }

    let command: Command

    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    static func decode(_ json: String) throws(Unreadable) -> CommandTree {
        do {
            return try JSONDecoder().decode(CommandTree.self, from: Data(json.utf8))
        } catch {
            throw Unreadable(description: "ArgumentParser's command description could not be read: \(error)")
        }
    }
}
