/// An `exclude` pattern, matched against paths relative to the install dir:
/// `*` and `?` stay within one path component, `**` crosses `/`, `**/` also matches no directory,
/// `[abc]`, `[a-z]`, `[!x]` match one byte. A leading `/` or `./` and a trailing `/` are ignored.
struct ExcludePattern: Sendable {
    private enum Token: Sendable, Equatable {
        case byte(UInt8)
        case anyByte
        case set(bytes: [UInt8], ranges: [ClosedRange<UInt8>], negated: Bool)
        case star
        case globstar
        case directories
    }

    let pattern: String
    private let tokens: [Token]

    init(_ pattern: String) {
        self.pattern = pattern
        var text = Substring(pattern)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        tokens = Self.compile(Array(text.utf8))
    }

    /// Whether the pattern matches the whole of `path` (relative, no leading `/`).
    func matches(_ path: String) -> Bool {
        let text = Array(path.utf8)
        var memo = [Int: Bool]()
        return match(0, 0, text, &memo)
    }

    private static let slash = UInt8(ascii: "/")

    private func match(_ token: Int, _ position: Int, _ text: [UInt8], _ memo: inout [Int: Bool]) -> Bool {
        if token == tokens.count { return position == text.count }
        let key = token * (text.count + 1) + position
        if let known = memo[key] { return known }
        let atEnd = position == text.count
        let result: Bool
        switch tokens[token] {
        case .byte(let byte):
            result = !atEnd && text[position] == byte && match(token + 1, position + 1, text, &memo)
        case .anyByte:
            result = !atEnd && text[position] != Self.slash && match(token + 1, position + 1, text, &memo)
        case .set(let bytes, let ranges, let negated):
            result = !atEnd && text[position] != Self.slash
                && (bytes.contains(text[position]) || ranges.contains { $0.contains(text[position]) }) != negated
                && match(token + 1, position + 1, text, &memo)
        case .star:
            result = match(token + 1, position, text, &memo)
                || (!atEnd && text[position] != Self.slash && match(token, position + 1, text, &memo))
        case .globstar:
            result = match(token + 1, position, text, &memo) || (!atEnd && match(token, position + 1, text, &memo))
        case .directories:
            // Zero directories here, or any run of components each ending in `/`.
            var found = match(token + 1, position, text, &memo)
            var next = position
            while !found && next < text.count {
                if text[next] == Self.slash { found = match(token + 1, next + 1, text, &memo) }
                next += 1
            }
            result = found
        }
        memo[key] = result
        return result
    }

    private static func compile(_ pattern: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            if byte == UInt8(ascii: "*") {
                if index + 1 < pattern.count && pattern[index + 1] == UInt8(ascii: "*") {
                    let slashFollows = index + 2 < pattern.count && pattern[index + 2] == slash
                    tokens.append(slashFollows ? .directories : .globstar)
                    index += slashFollows ? 3 : 2
                } else {
                    tokens.append(.star)
                    index += 1
                }
            } else if byte == UInt8(ascii: "?") {
                tokens.append(.anyByte)
                index += 1
            } else if byte == UInt8(ascii: "["), let (set, end) = bracket(pattern, at: index) {
                tokens.append(set)
                index = end
            } else {
                tokens.append(.byte(byte))
                index += 1
            }
        }
        return tokens
    }

    /// A closed `[...]` expression at `start` and the index after it; nil leaves `[` literal.
    private static func bracket(_ pattern: [UInt8], at start: Int) -> (Token, Int)? {
        var index = start + 1
        let negated = index < pattern.count && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^"))
        if negated { index += 1 }
        var bytes: [UInt8] = []
        var ranges: [ClosedRange<UInt8>] = []
        let first = index
        while index < pattern.count {
            let byte = pattern[index]
            if byte == UInt8(ascii: "]") && index > first {
                return (.set(bytes: bytes, ranges: ranges, negated: negated), index + 1)
            }
            if index + 2 < pattern.count && pattern[index + 1] == UInt8(ascii: "-") && pattern[index + 2] != UInt8(ascii: "]") {
                if byte <= pattern[index + 2] { ranges.append(byte...pattern[index + 2]) }
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return nil
    }
}
