import Foundation

/// A release as a package index's JSON API describes it (`<index>/<name>/<version>/json`, the
/// layout of https://pypi.org/pypi): its files and their sha256 digests. A mirror filled by
/// `omnibus mirror` holds the same document, trimmed to the pinned file, at the same path, so
/// an offline build learns a distribution's file name from the mirror alone.
struct PyPIRelease: Codable, Sendable {
    struct Info: Codable, Sendable {
        let name: String
        let version: String
    }

    struct File: Codable, Sendable {
        let filename: String
        let url: String
        let digests: [String: String]

        var sha256: String? { digests["sha256"]?.lowercased() }
    }

    let info: Info?
    let urls: [File]
    /// Every release's files, in the project document (`<index>/<name>/json`) only.
    var releases: [String: [File]]? = nil

    /// The files of `version`: from `releases` in a project document, else `urls`.
    func files(of version: String) -> [File] {
        if let files = releases?[version] { return files }
        return info.map { $0.version == version } == false ? [] : urls
    }

    /// `pypi/<normalized name>/<version>/json` inside a mirror or below an index URL's base.
    static func relativePath(name: String, version: String) -> String {
        "\(PinnedDistribution.normalize(name))/\(version)/json"
    }

    /// The project document, listing every release: some indexes and proxies serve only this.
    static func projectPath(name: String) -> String {
        "\(PinnedDistribution.normalize(name))/json"
    }

    static func parse(_ data: Data) -> PyPIRelease? {
        try? JSONDecoder().decode(PyPIRelease.self, from: data)
    }

    /// The deterministic record a mirror keeps (sorted keys, one file).
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
