import Definitions
import Digest
import Foundation

/// `pypi:` — a list of pinned Python distributions (wheels or sdists), each `{name, version,
/// sha256}` and optionally `file` (which of the release's files). Each file is fetched like a url
/// source (cache, mirrors by name then checksum, retries, deadline), its upstream URL found through
/// the package index's JSON API; the build sees them side by side in one directory, ready for
/// `pip install --no-index --find-links`.
package struct PyPISource: FetchableSource, Hashable {
    package static let name = "pypi"
    package static let keys = ["pypi"]
    package static let usage = "pypi (a list of {name, version, sha256})"
    package static let describedAs = "a pypi source"

    package let distributions: [PinnedDistribution]

    package init(distributions: [PinnedDistribution]) {
        self.distributions = distributions
    }

    package static func decode(_ map: MappingReader, _ decoding: inout SourceDecoding) -> PyPISource? {
        guard let list = map.value("pypi") else { return nil }
        guard case .sequence(let items, _) = list, !items.isEmpty else {
            decoding.error("'pypi' must be a non-empty list of distributions, each '{name: NAME, version: VERSION, sha256: HEX}', found \(list.kindDescription)",
                           at: list.location)
            return nil
        }
        var pins: [PinnedDistribution] = []
        var seen: [String: SourceLocation] = [:]
        var valid = true
        for item in items {
            // Duplicates are found by the name alone, even in an item with other mistakes.
            if let name = PinnedDistribution.writtenName(item) {
                let normalized = PinnedDistribution.normalize(name)
                if let first = seen[normalized] {
                    decoding.error("distribution '\(name)' is pinned twice (first at \(first.line):\(first.column)); pin each distribution once",
                                   at: item.location)
                    valid = false
                }
                seen[normalized] = seen[normalized] ?? item.location
            }
            guard let pin = PinnedDistribution.decode(item, &decoding) else { valid = false; continue }
            pins.append(pin)
        }
        return valid ? PyPISource(distributions: pins) : nil
    }

    package var location: String { distributions.map { "\($0.name)==\($0.version)" }.joined(separator: " ") }
    /// Several files: `omnibus mirror` fills them from the index, not as one mirror file.
    package var mirrorFile: MirrorFile? { nil }
    package var keyText: String { "pypi(" + distributions.map(\.keyText).joined(separator: ", ") + ")" }

    /// A digest over the pins in name order: which files are used is decided by their checksums alone.
    package func identity() throws(FetchError) -> String {
        let lines = distributions.sorted { $0.normalizedName < $1.normalizedName }
            .map { "\($0.normalizedName)==\($0.version) \($0.checksum)\n" }.joined()
        do { return "pypi-sha256:" + (try Digests.hex(.sha256, of: Array(lines.utf8))) } catch {
            throw .invalidSource("cannot hash the pypi pins: \(error)")
        }
    }

    package func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource {
        var files: [FetchedSource.CachedFile] = []
        var origins: [String] = []
        for pin in distributions {
            if Task.isCancelled { throw .cancelled }
            let fetched = try await PyPIFetch(fetcher: fetcher, pin: pin, events: events).fetch()
            guard case .file(let path, let fileName) = fetched.content else { continue }
            files.append(.init(path: path, fileName: fileName))
            origins.append("\(fileName) from \(fetched.origin)")
        }
        return FetchedSource(content: .fileSet(files), identity: try identity(), origin: origins.joined(separator: ", "))
    }
}

/// One pinned distribution of a `pypi:` source.
package struct PinnedDistribution: Sendable, Hashable {
    package let name: String
    package let version: String
    package let checksum: Checksum
    /// The release file to use, when the definition names one; else the one with the checksum.
    package let fileName: String?

    package init(name: String, version: String, checksum: Checksum, fileName: String? = nil) {
        self.name = name
        self.version = version
        self.checksum = checksum
        self.fileName = fileName
    }

    /// PEP 503's form: lower case, every run of `-`, `_` and `.` one `-`; how indexes and pip compare names.
    package var normalizedName: String { Self.normalize(name) }

    package static func normalize(_ name: String) -> String {
        var out = ""
        var inRun = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !inRun { out.append("-") }
                inRun = true
            } else {
                out.append(character)
                inRun = false
            }
        }
        return out
    }

    /// The line that pins it, as a definition writes it (for messages).
    package var definitionLine: String {
        "{ name: \(name), version: \"\(version)\", sha256: \(checksum.hex)\(fileName.map { ", file: \($0)" } ?? "") }"
    }

    var keyText: String { "\(normalizedName)==\(version) \(checksum) file: \(fileName ?? "nil")" }

    /// The `name:` of an item as written, without judging anything.
    static func writtenName(_ item: YAMLValue) -> String? {
        guard case .mapping(let pairs, _) = item, let value = pairs.first(where: { $0.key.text == "name" })?.value,
              case .scalar(let text, _, _) = value else { return nil }
        return text
    }

    static func decode(_ item: YAMLValue, _ decoding: inout SourceDecoding) -> PinnedDistribution? {
        guard let map = MappingReader(item, describing: "a 'pypi' item", path: "pypi.",
                                      allowed: ["name", "version", "sha256", "file"], problems: &decoding.problems)
        else { return nil }
        let name = decoding.string(map, "name", required: "a pypi distribution")
        let version = decoding.string(map, "version", required: "a pypi distribution (pin the exact version, e.g. version: \"2.32.5\")")
        let file = decoding.string(map, "file")
        if let file {
            decoding.checkFileName(file)
            if !Self.distributionSuffixes.contains(where: file.value.hasSuffix) {
                decoding.error("'pypi.file' must be a wheel or sdist file name (.whl, .tar.gz, .zip), found '\(file.value)'",
                               at: file.location)
            }
        }
        if let name, !Self.isValidName(name.value) {
            decoding.error("'pypi.name' must be a distribution name (letters, digits, '-', '_', '.', starting and ending with a letter or digit), found '\(name.value)'",
                           at: name.location)
        }
        // The version names a directory of the mirror and part of a URL: only the characters
        // of a PEP 440 version, never a path.
        if let version, !Self.isExactVersion(version.value) {
            decoding.error("'pypi.version' must be one exact version such as 2.32.5 (letters, digits, '.', '+', '!', '-', '_'; no ranges, wildcards or paths), found '\(version.value)'",
                           at: version.location)
        }
        // sha256 only: the digest PyPI's JSON API lists and pip's --require-hashes checks.
        guard let text = decoding.string(map, "sha256", required: "a pypi distribution (PyPI lists it as the file's sha256 digest)")
        else { return nil }
        guard text.value.count == 64, text.value.allSatisfy(\.isHexDigit), let checksum = try? Checksum(.sha256, text.value) else {
            let found = text.value.count == 64 ? "a non-hex character" : "\(text.value.count) characters"
            decoding.error("'pypi.sha256' must be 64 hexadecimal digits, found \(found)", at: text.location)
            return nil
        }
        guard let name, let version, Self.isValidName(name.value) else { return nil }
        return PinnedDistribution(name: name.value, version: version.value, checksum: checksum, fileName: file?.value)
    }

    static let distributionSuffixes = [".whl", ".tar.gz", ".zip", ".tar.bz2"]

    static func isExactVersion(_ version: String) -> Bool {
        guard let first = version.first, first.isASCII, first.isLetter || first.isNumber, !version.contains("..") else { return false }
        return version.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".+!-_".contains($0)) }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, first.isASCII, last.isASCII,
              first.isLetter || first.isNumber, last.isLetter || last.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
