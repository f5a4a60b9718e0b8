import Foundation

/// Decodes a version's `source:` mapping: exactly one of `url`, `file` (mirror-only), `git`, `path`.
enum SourceDecoder {
    static let keys = ["url", "file", "sha256", "sha512", "debian", "git", "commit", "path", "exclude"]

    static func decode(_ value: YAMLValue, directory: String, problems: inout Diagnostics) -> Source? {
        guard let map = MappingReader(value, describing: "'source'", allowed: keys,
                                      problems: &problems) else { return nil }
        for key in ["url", "git", "path", "file", "commit", "sha256", "sha512", "debian"] where map.has(key) && map.value(key) == nil {
            problems.error("'\(key)' needs a value", at: map.key(key)!.location)
            return nil
        }
        let kinds = ["url", "git", "path"].filter(map.has)
        if kinds.count > 1 {
            problems.error("a source has exactly one of url, git, path; found \(kinds.joined(separator: " and "))",
                           at: map.location)
            return nil
        }
        switch kinds.first {
        case "url": return decodeURL(map, problems: &problems)
        case "git": return decodeGit(map, problems: &problems)
        case "path": return decodePath(map, directory: directory, problems: &problems)
        default:
            if map.has("file") { return decodeMirrorOnly(map, problems: &problems) }
            problems.error("a source needs one of: url (with sha256 or sha512), git (with commit), path, or file (mirror-only, with a checksum)",
                           at: map.location)
            return nil
        }
    }

    static func decodeURL(_ map: MappingReader, problems: inout Diagnostics) -> Source? {
        rejectKeys(["commit", "exclude"], for: "a url source", in: map, problems: &problems)
        guard let url = map.string("url", problems: &problems) else { return nil }
        if !["http://", "https://", "file://"].contains(where: url.value.hasPrefix) {
            problems.error("'url' must start with https://, http:// or file://, found '\(url.value)'", at: url.location)
        }
        let checksum = decodeChecksum(map, missing: "a url source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'",
                                      problems: &problems)
        let fileName = map.string("file", problems: &problems)
        if let fileName { checkFileName(fileName, problems: &problems) }
        guard let checksum else { return nil }
        return .url(url.value, checksum, fileName: fileName?.value, debian: map.string("debian", problems: &problems)?.value)
    }

    static func decodeMirrorOnly(_ map: MappingReader, problems: inout Diagnostics) -> Source? {
        rejectKeys(["commit", "exclude"], for: "a mirror-only (file) source", in: map, problems: &problems)
        guard let file = map.string("file", problems: &problems) else { return nil }
        checkFileName(file, problems: &problems)
        guard let checksum = decodeChecksum(map, missing: "a mirror-only (file) source needs a checksum: add 'sha256: <64 hex digits>' or 'sha512: <128 hex digits>'",
                                            problems: &problems) else { return nil }
        return .mirrorOnly(fileName: file.value, checksum, debian: map.string("debian", problems: &problems)?.value)
    }

    static func decodeGit(_ map: MappingReader, problems: inout Diagnostics) -> Source? {
        rejectKeys(["sha256", "sha512", "file", "debian", "exclude"], for: "a git source (it is pinned by 'commit')", in: map,
                   problems: &problems)
        let repository = map.string("git", problems: &problems)
        guard let commit = map.string("commit", required: "a git source (a full 40-hex commit id)", problems: &problems)
        else { return nil }
        if !isHex(commit.value, length: 40) {
            problems.error("'commit' must be a full 40-hex-digit commit id, found '\(commit.value)' (branches and tags move; pin the commit)",
                           at: commit.location)
        }
        guard let repository else { return nil }
        return .git(repository: repository.value, commit: commit.value.lowercased())
    }

    static func decodePath(_ map: MappingReader, directory: String, problems: inout Diagnostics) -> Source? {
        rejectKeys(["sha256", "sha512", "commit", "file", "debian"], for: "a path source (it is hashed by content)",
                   in: map, problems: &problems)
        guard let path = map.string("path", problems: &problems) else { return nil }
        let resolved = path.value.hasPrefix("/") ? path.value : directory + "/" + path.value
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) || !isDirectory.boolValue {
            problems.error("path source '\(path.value)' is not a directory (paths are relative to \(StepDecoder.shownDirectory(of: path)))",
                           at: path.location)
        }
        var exclude: [String] = []
        for pattern in map.stringList("exclude", problems: &problems) {
            let components = pattern.value.split(separator: "/", omittingEmptySubsequences: false)
            if pattern.value.isEmpty || pattern.value.hasPrefix("/") || components.contains("..") {
                problems.error("'exclude' patterns are relative to the path source and stay inside it, found '\(pattern.value)'",
                               at: pattern.location)
            } else {
                exclude.append(pattern.value)
            }
        }
        return .path(path.value, exclude: exclude)
    }

    static func decodeChecksum(_ map: MappingReader, missing: String, problems: inout Diagnostics) -> Checksum? {
        let given = Checksum.Algorithm.allCases.compactMap { algorithm in
            map.string(algorithm.rawValue, problems: &problems).map { (algorithm, $0) }
        }
        guard let (algorithm, text) = given.first else {
            problems.error(missing, at: map.location)
            return nil
        }
        if given.count > 1 {
            problems.error("give one checksum, not both sha256 and sha512", at: given[1].1.location)
        }
        guard isHex(text.value, length: algorithm.hexLength) else {
            let found = text.value.count == algorithm.hexLength ? "a non-hex character" : "\(text.value.count) characters"
            problems.error("'\(algorithm.rawValue)' must be \(algorithm.hexLength) hexadecimal digits, found \(found)",
                           at: text.location)
            return nil
        }
        return Checksum(algorithm: algorithm, hex: text.value)
    }

    static func rejectKeys(_ keys: [String], for what: String, in map: MappingReader, problems: inout Diagnostics) {
        for key in keys {
            if let located = map.key(key) {
                problems.error("'\(map.path)\(key)' does not apply to \(what)", at: located.location)
            }
        }
    }

    static func checkFileName(_ name: Located<String>, problems: inout Diagnostics) {
        if name.value.contains("/") || name.value.hasPrefix(".") || name.value.isEmpty {
            problems.error("'file' must be a plain file name such as zlib-1.3.1.tar.gz, found '\(name.value)'",
                           at: name.location)
        }
    }

    static func isHex(_ text: String, length: Int) -> Bool {
        text.count == length && text.allSatisfy(\.isHexDigit)
    }
}
