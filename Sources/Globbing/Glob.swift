/// Shell-style patterns, one language for the health check's allow-list names and exempted
/// paths and for the packages' `exclude`: `*` and `?` stay within one path component, `**` crosses `/` (and `**/` also matches no directory at all), `[abc]`,
/// `[a-z]` and `[!x]` match one byte.
package struct Glob: Sendable, Hashable, Codable, CustomStringConvertible {
    private enum Token: Hashable {
        case byte(UInt8)
        case one
        case set([UInt8], ranges: [ClosedRange<UInt8>], negated: Bool)
        case star
        case globstar
        case globstarSlash
    }

    package let pattern: String
    private let tokens: [Token]

    package init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Self.compile(Array(pattern.utf8))
    }

    package init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pattern)
    }

    package static func == (lhs: Glob, rhs: Glob) -> Bool { lhs.pattern == rhs.pattern }
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    package var description: String { pattern }

    private static let slash = UInt8(ascii: "/")

    /// Runs the pattern as an automaton over the text's positions, so every match takes
    /// (pattern length x text length) steps whatever the pattern; no backtracking blow-up.
    package func matches(_ string: String) -> Bool {
        let text = Array(string.utf8)
        let count = text.count
        var current = [Bool](repeating: false, count: count + 1)
        var next = current
        current[0] = true
        for token in tokens {
            switch token {
            case .star:
                next[0] = current[0]
                for position in stride(from: 1, through: count, by: 1) {
                    next[position] = current[position] || (next[position - 1] && text[position - 1] != Self.slash)
                }
            case .globstar:
                next[0] = current[0]
                for position in stride(from: 1, through: count, by: 1) {
                    next[position] = current[position] || next[position - 1]
                }
            case .globstarSlash:
                var seen = false
                for position in 0...count {
                    next[position] = current[position] || (seen && text[position - 1] == Self.slash)
                    seen = seen || current[position]
                }
            default:
                next[0] = false
                for position in stride(from: 1, through: count, by: 1) {
                    next[position] = current[position - 1] && Self.accepts(token, text[position - 1])
                }
            }
            swap(&current, &next)
            guard current.contains(true) else { return false }
        }
        return current[count]
    }

    private static func accepts(_ token: Token, _ byte: UInt8) -> Bool {
        switch token {
        case .byte(let expected): byte == expected
        case .one: byte != slash
        case .set(let bytes, let ranges, let negated):
            byte != slash && (bytes.contains(byte) || ranges.contains { $0.contains(byte) }) != negated
        case .star, .globstar, .globstarSlash: false
        }
    }

    private static func compile(_ pattern: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            switch byte {
            case UInt8(ascii: "*"):
                if index + 1 < pattern.count, pattern[index + 1] == UInt8(ascii: "*") {
                    if index + 2 < pattern.count, pattern[index + 2] == slash {
                        tokens.append(.globstarSlash)
                        index += 3
                    } else {
                        tokens.append(.globstar)
                        index += 2
                    }
                    continue
                }
                tokens.append(.star)
            case UInt8(ascii: "?"):
                tokens.append(.one)
            case UInt8(ascii: "["):
                if let (set, end) = compileSet(pattern, from: index) {
                    tokens.append(set)
                    index = end
                    continue
                }
                tokens.append(.byte(byte))
            default:
                tokens.append(.byte(byte))
            }
            index += 1
        }
        return tokens
    }

    /// A bracket expression starting at `start`, and the index after it; nil when it is not
    /// closed (the `[` is then literal).
    private static func compileSet(_ pattern: [UInt8], from start: Int) -> (Token, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.count, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var bytes: [UInt8] = []
        var ranges: [ClosedRange<UInt8>] = []
        var first = true
        while index < pattern.count {
            let byte = pattern[index]
            if byte == UInt8(ascii: "]") && !first {
                return (.set(bytes, ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
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
