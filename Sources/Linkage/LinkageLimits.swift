/// Bounds on the work the check does for one file, so a crafted file ends in a finding instead
/// of minutes of searching. The loader has no such limits; these numbers are far beyond what
/// real programs reach (on a Debian system the most are 21 `DT_NEEDED` entries in one file,
/// 90 objects and 8 levels in one link map, one RPATH element), and a file that reaches one
/// fails the check with a `limit-exceeded` finding naming the file and the limit.
package enum LinkageLimits {
    /// `DT_NEEDED` entries of one object; an object with more is not resolved at all.
    package static let neededPerFile = 4_096
    /// Elements of one object's `DT_RPATH`, and of its `DT_RUNPATH`; an object with more is not
    /// resolved at all. Every name is searched in every element, so this bounds the search per
    /// name. (The reader takes values of at most 4,096 bytes, so today only values made of
    /// one- or two-character elements, `/:/:/...`, reach it.)
    package static let searchPathElementsPerFile = 1_024
    /// Levels of `DT_NEEDED` below the checked file; the needs of an object this deep are not
    /// followed. Each checked file walks its own closure (what the loader finds depends on the
    /// whole load), so without it a chain of N libraries, each needing the next, costs N²; and
    /// with `$ORIGIN/../dir` RPATHs every level makes the loader's paths longer, so the cost per
    /// file grows with the square of this number.
    package static let depth = 64
    /// `DT_NEEDED` entries followed for one checked file, its own and those of every object it
    /// loads; the walk stops there.
    package static let neededInClosure = 65_536
}

/// A limit one load walk ran into.
package struct LimitExceeded: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case neededEntries(Int)
        case rpathElements(Int)
        case runpathElements(Int)
        case depth
        case closure
    }

    package let kind: Kind
    /// The object whose needs were not followed, by the name it was needed as; for the checked
    /// file itself, its path.
    package let name: String
    package let path: String
    /// The path of the object that loaded it; nil for the checked file.
    package let neededBy: String?

    /// What was not checked and why, with the limit.
    package var explanation: String {
        let notChecked = "none of its libraries was checked"
        switch kind {
        case .neededEntries(let count):
            return "\(count) DT_NEEDED entries, more than the \(LinkageLimits.neededPerFile) the health check follows in one file; \(notChecked)"
        case .rpathElements(let count):
            return "DT_RPATH has \(count) elements, more than the \(LinkageLimits.searchPathElementsPerFile) the health check searches in one file; \(notChecked)"
        case .runpathElements(let count):
            return "DT_RUNPATH has \(count) elements, more than the \(LinkageLimits.searchPathElementsPerFile) the health check searches in one file; \(notChecked)"
        case .depth:
            return "loaded \(LinkageLimits.depth) levels below the checked file, as deep as the health check follows DT_NEEDED; \(notChecked)"
        case .closure:
            return "the health check followed \(LinkageLimits.neededInClosure) DT_NEEDED entries for this file, its limit for one file's dependencies, and stopped; the rest were not checked"
        }
    }
}
