import Fetch

/// A wheel or sdist file name read the way pip reads it: `<name>-<version>-<tags>.whl`, or
/// `<name>-<version>.tar.gz` (the last `-` separates the version in an sdist).
struct DistributionFile: Equatable {
    let fileName: String
    let name: String
    let version: String

    init?(_ fileName: String) {
        if fileName.hasSuffix(".whl") {
            let parts = fileName.dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count >= 5 else { return nil }
            self.init(fileName: fileName, name: String(parts[0]), version: String(parts[1]))
        } else if let suffix = [".tar.gz", ".zip", ".tar.bz2"].first(where: fileName.hasSuffix) {
            let stem = fileName.dropLast(suffix.count)
            guard let dash = stem.lastIndex(of: "-") else { return nil }
            self.init(fileName: fileName, name: String(stem[..<dash]), version: String(stem[stem.index(after: dash)...]))
        } else {
            return nil
        }
        guard !name.isEmpty, !version.isEmpty else { return nil }
    }

    private init(fileName: String, name: String, version: String) {
        self.fileName = fileName
        self.name = name
        self.version = version
    }

    /// PEP 503's comparison form of the name.
    var normalizedName: String { Self.normalize(name) }

    static func normalize(_ name: String) -> String { PinnedDistribution.normalize(name) }
}
