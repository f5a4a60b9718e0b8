import Digest

/// A kind of source (`url`, `git`, `path`, `file`): one type in one file, listed in Fetch's
/// `SourceKinds` table, which also fetches it. The definitions see only what this protocol
/// says: how the kind is recognised and decoded, and what manifests, mirrors and cache keys
/// need to know about it.
package protocol SourceKind: Sendable {
    /// The key that selects the kind in a `source:` mapping.
    static var name: String { get }
    /// Every key the kind accepts, its own name included.
    static var keys: [String] { get }
    /// How the kind is written, for "a source needs one of: ..." (`git (with commit)`).
    static var usage: String { get }
    /// The kind as messages name it (`a git source (it is pinned by 'commit')`).
    static var describedAs: String { get }
    /// Decodes the mapping (already checked for unknown keys). Report problems and return nil.
    static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> Self?
    /// Where the bytes come from, for the version manifest (a URL, `repo@commit`, a path).
    var location: String { get }
    /// The file a source mirror can hold for this source, if it is a file.
    var mirrorFile: MirrorFile? { get }
    /// A stable text of the source, for the layer cache key.
    var keyText: String { get }
}

/// A decoded source: one value of one registered kind.
package struct Source: Sendable {
    package let kind: any SourceKind

    package init(_ kind: any SourceKind) {
        self.kind = kind
    }

    package var kindName: String { type(of: kind).name }
}

/// A file that a source mirror (a directory or URL, or one filled from Debian) can provide.
package struct MirrorFile: Sendable, Hashable {
    package let fileName: String
    package let checksum: Checksum
    /// The Debian source package (`zlib` or `zlib=1:1.2.13.dfsg-1`) whose `.orig` has these bytes.
    package let debian: String?

    package init(fileName: String, checksum: Checksum, debian: String?) {
        self.fileName = fileName
        self.checksum = checksum
        self.debian = debian
    }
}

/// What a source kind's `decode` works with.
package struct SourceDecoding {
    /// The definition's directory; relative paths are relative to it.
    package let directory: String
    package var problems: Diagnostics

    init(directory: String, problems: Diagnostics) {
        self.directory = directory
        self.problems = problems
    }

    package mutating func error(_ message: String, at location: SourceLocation?) {
        problems.error(message, at: location)
    }

    package mutating func string(_ map: MappingReader, _ key: String, required what: String? = nil) -> Located<String>? {
        map.string(key, required: what, problems: &problems)
    }

    package mutating func stringList(_ map: MappingReader, _ key: String) -> [Located<String>] {
        map.stringList(key, problems: &problems)
    }

    /// `sha256:` or `sha512:`, exactly one, well-formed.
    package mutating func checksum(_ map: MappingReader, missing: String) -> Checksum? {
        let given = Checksum.algorithms.compactMap { algorithm in
            map.string(algorithm.rawValue, problems: &problems).map { (algorithm, $0) }
        }
        guard let (algorithm, text) = given.first else {
            problems.error(missing, at: map.location)
            return nil
        }
        if given.count > 1 {
            problems.error("give one checksum, not both sha256 and sha512", at: given[1].1.location)
        }
        let length = algorithm.byteCount * 2
        guard text.value.count == length, text.value.allSatisfy(\.isHexDigit),
              let checksum = try? Checksum(algorithm, text.value) else {
            let found = text.value.count == length ? "a non-hex character" : "\(text.value.count) characters"
            problems.error("'\(algorithm.rawValue)' must be \(length) hexadecimal digits, found \(found)", at: text.location)
            return nil
        }
        return checksum
    }

    /// A file name used in caches and mirrors: one plain component.
    package mutating func checkFileName(_ name: Located<String>) {
        if name.value.contains("/") || name.value.hasPrefix(".") || name.value.isEmpty {
            problems.error("'file' must be a plain file name such as zlib-1.3.1.tar.gz, found '\(name.value)'",
                           at: name.location)
        }
    }
}
