import Yams

/// Measures a composed document as it would be with every alias expanded, without expanding
/// any, and stops at the first alias (or value) past `DefinitionLimits`.
///
/// Why before the document is composed with its aliases: Yams shares an aliased node rather
/// than copying it, but whatever walks the tree walks every expansion: the conversion to
/// `YAMLValue`, and Yams itself, which hashes each mapping key while composing to find
/// duplicates, so a "billion laughs" alias used as a key hangs inside `compose`. The parser
/// therefore measures the alias-free `AliasMask` copy first, where each alias is a marker scalar,
/// and composes the original only when it fits.
struct ExpansionBudget {
    /// What one node stands for once expanded.
    private struct Size {
        var nodes = 1
        var aliases = 0
        var height = 1

        mutating func add(_ child: Size) {
            nodes += child.nodes
            aliases += child.aliases
            height = max(height, child.height + 1)
        }
    }

    private let file: String
    private let marker: Unicode.Scalar?
    private var nodes = 0
    private var aliases = 0
    /// The expanded size of each anchor, the latest definition of a name winning, registered
    /// once the anchored node is complete: the order in which Yams resolves aliases.
    private var anchors: [String: Size] = [:]

    /// - Parameter marker: the `AliasMask` marker when `root` was composed from a masked copy;
    ///   nil when the text had no alias, and only the values and the depth are measured.
    static func check(_ root: Node, marker: Unicode.Scalar?, file: String) throws(DefinitionError) {
        var budget = ExpansionBudget(file: file, marker: marker)
        _ = try budget.walk(root, depth: 1)
    }

    private init(file: String, marker: Unicode.Scalar?) {
        self.file = file
        self.marker = marker
    }

    private mutating func walk(_ node: Node, depth: Int) throws(DefinitionError) -> Size {
        var size = Size()
        switch node {
        case .scalar(let scalar):
            if let marker, scalar.style == .plain, scalar.string.unicodeScalars.first == marker {
                return try expand(scalar, depth: depth)
            }
            try count(at: scalar.mark, depth: depth)
        case .sequence(let sequence):
            try count(at: sequence.mark, depth: depth)
            for item in sequence { size.add(try walk(item, depth: depth + 1)) }
        case .mapping(let mapping):
            try count(at: mapping.mark, depth: depth)
            for (key, value) in mapping {
                size.add(try walk(key, depth: depth + 1))
                size.add(try walk(value, depth: depth + 1))
            }
        case .alias(let alias):
            try count(at: alias.mark, depth: depth)
        }
        if let name = node.anchor?.rawValue { anchors[name] = size }
        return size
    }

    private mutating func count(at mark: Mark?, depth: Int) throws(DefinitionError) {
        nodes += 1
        if nodes > DefinitionLimits.nodes {
            throw failure("the document holds more than \(DefinitionLimits.nodes) values, the most a definition may hold", at: mark)
        }
        if depth > DefinitionLimits.depth {
            throw failure("values nest more than \(DefinitionLimits.depth) levels deep, the most a definition may nest", at: mark)
        }
    }

    /// An alias: what its anchor stands for, counted again where it is used.
    private mutating func expand(_ placeholder: Node.Scalar, depth: Int) throws(DefinitionError) -> Size {
        let name = String(String.UnicodeScalarView(placeholder.string.unicodeScalars.dropFirst()
            .prefix(while: AliasMask.isAnchorCharacter)))
        // An alias with no anchor before it fails when the original is composed ("found
        // undefined alias"), at this same place.
        guard let anchored = anchors[name] else {
            try count(at: placeholder.mark, depth: depth)
            return Size()
        }
        let alias = "'*\(name)'"
        aliases += 1 + anchored.aliases
        if aliases > DefinitionLimits.aliasExpansions {
            throw failure("too many alias expansions: expanding \(alias) here takes the document past \(DefinitionLimits.aliasExpansions) "
                          + "(an alias inside an anchored value counts each time that value is used); write the values out or nest fewer aliases",
                          at: placeholder.mark)
        }
        nodes += anchored.nodes
        if nodes > DefinitionLimits.nodes {
            throw failure("expanding \(alias) here makes the document hold more than \(DefinitionLimits.nodes) values, the most a definition may hold",
                          at: placeholder.mark)
        }
        if depth - 1 + anchored.height > DefinitionLimits.depth {
            throw failure("expanding \(alias) here nests values more than \(DefinitionLimits.depth) levels deep, the most a definition may nest",
                          at: placeholder.mark)
        }
        return Size(nodes: anchored.nodes, aliases: 1 + anchored.aliases, height: anchored.height)
    }

    private func failure(_ message: String, at mark: Mark?) -> DefinitionError {
        DefinitionError([Diagnostic(message, at: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1))])
    }
}
