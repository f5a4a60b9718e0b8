/// The `machine` / `login` / `password` entries of a netrc file, read the way curl and ftp read
/// it: whitespace-separated tokens (double quotes allowed around a value), a `default` entry
/// used when no machine matches, and `macdef` bodies skipped up to the next empty line.
struct Netrc {
    struct Login: Equatable {
        let user: String
        let password: String
    }

    private struct Entry {
        var machine: String?  // nil: the `default` entry
        var login: String?
        var password: String?
    }

    private var entries: [Entry] = []

    init(_ text: String) {
        var tokens = Tokens(Substring(text))
        var current: Entry?
        while let token = tokens.next() {
            switch token {
            case "machine", "default":
                if let current { entries.append(current) }
                current = Entry(machine: token == "machine" ? tokens.next() ?? "" : nil)
            case "login":
                current?.login = tokens.next()
            case "password":
                current?.password = tokens.next()
            case "account":
                _ = tokens.next()
            case "macdef":
                _ = tokens.next()
                tokens.skipMacroBody()
            default:
                continue  // unknown words are ignored, as curl does
            }
        }
        if let current { entries.append(current) }
    }

    /// The first entry for `host` (case-insensitive), else the `default` entry; only entries
    /// with both a login and a password count.
    func login(for host: String) -> Login? {
        let chosen = entries.first { $0.machine?.lowercased() == host.lowercased() } ?? entries.first { $0.machine == nil }
        guard let chosen, let user = chosen.login, let password = chosen.password else { return nil }
        return Login(user: user, password: password)
    }

    private struct Tokens {
        var rest: Substring

        init(_ text: Substring) { rest = text }

        mutating func next() -> String? {
            rest = rest.drop { $0.isWhitespace }
            guard let first = rest.first else { return nil }
            if first == "\"" {
                var value = ""
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex, rest[index] != "\"" {
                    if rest[index] == "\\", rest.index(after: index) < rest.endIndex { index = rest.index(after: index) }
                    value.append(rest[index])
                    index = rest.index(after: index)
                }
                rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
                return value
            }
            let word = rest.prefix { !$0.isWhitespace }
            rest = rest[word.endIndex...]
            return String(word)
        }

        /// A macro's body runs from the next line to the first empty line.
        mutating func skipMacroBody() {
            if let end = rest.firstRange(of: "\n\n") {
                rest = rest[end.upperBound...]
            } else {
                rest = rest[rest.endIndex...]
            }
        }
    }
}
