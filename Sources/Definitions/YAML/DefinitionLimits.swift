/// Bounds on what reading one definition may cost. No real definition comes near any of them
/// (the shipped ones are a few kilobytes, a few hundred values, no alias); they exist so that a
/// hostile or broken file ends in one message instead of exhausting memory, time or the terminal.
/// docs/definitions.md (Conventions and Errors) states the same numbers.
package enum DefinitionLimits {
    /// Bytes in one definition file; a larger file is refused before it is parsed.
    package static let fileSize = 4 * 1024 * 1024
    /// Aliases (`*name`) dereferenced while expanding a document, nested uses counted each time
    /// they are reached: the classic "billion laughs" file trips this with a few dozen aliases.
    package static let aliasExpansions = 10_000
    /// Values (scalars, lists, mappings) in a document once its aliases are expanded.
    package static let nodes = 1_000_000
    /// Nesting of a document once its aliases are expanded; libyaml already refuses written
    /// nesting this deep, but an alias can add its anchor's depth to where it is used.
    package static let depth = 1_000
    /// Problems one check keeps; past it they are only counted, so a file with a million
    /// mistakes costs neither a million messages nor the time to word them.
    package static let problemsKept = 1_000
    /// Problems printed; the rest are summed up in one `and N more problems` line.
    package static let problemsShown = 100
}
