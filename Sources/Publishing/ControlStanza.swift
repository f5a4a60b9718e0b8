/// One paragraph of a Debian control file (deb822): fields in their order, continuation lines
/// kept as written so a multi-line Description survives unchanged.
struct ControlStanza: Equatable, Sendable {
    var fields: [(name: String, value: String)] = []

    static func == (lhs: ControlStanza, rhs: ControlStanza) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// Field names compare without case, as dpkg and apt do.
    subscript(name: String) -> String? {
        get { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            let index = fields.firstIndex { $0.name.lowercased() == name.lowercased() }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append((name, value))
            case (nil, nil): break
            }
        }
    }

    var text: String {
        fields.map { "\($0.name): \($0.value)\n" }.joined()
    }

    /// Every paragraph of `text`; a line that is neither a field nor a continuation is an error.
    static func parseAll(_ text: String) throws(StanzaError) -> [ControlStanza] {
        var stanzas: [ControlStanza] = []
        var current = ControlStanza()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.fields.isEmpty { stanzas.append(current) }
                current = ControlStanza()
            } else if line.first == " " || line.first == "\t" {
                guard !current.fields.isEmpty else { throw StanzaError(line: number + 1, reason: "a continuation line opens a paragraph") }
                current.fields[current.fields.count - 1].value += "\n" + line
            } else if line.first == "#" {
                continue
            } else {
                guard let colon = line.firstIndex(of: ":") else {
                    throw StanzaError(line: number + 1, reason: "'\(line.prefix(60))' is not a 'Field: value' line")
                }
                let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                current.fields.append((String(line[..<colon]), String(value)))
            }
        }
        if !current.fields.isEmpty { stanzas.append(current) }
        return stanzas
    }
}

struct StanzaError: Error, CustomStringConvertible {
    let line: Int
    let reason: String
    var description: String { "line \(line): \(reason)" }
}
