import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The directory list of `/etc/ld.so.conf` and the files it includes: what `ldconfig` indexes into
/// the cache. Used as the cache's stand-in when the cache is missing or unreadable.
package enum LoaderConfig {
    /// Include chains deeper than this are a loop.
    private static let maximumIncludeDepth = 16

    /// Directories in configuration order, duplicates removed. Unreadable files are skipped,
    /// as `ldconfig` skips them.
    package static func directories(configPath: String = "/etc/ld.so.conf") -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        collect(configPath, depth: 0, seen: &seen, into: &result)
        return result
    }

    private static func collect(_ path: String, depth: Int, seen: inout Set<String>, into result: inout [String]) {
        guard depth < maximumIncludeDepth,
              let data = FileManager.default.contents(atPath: path) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        for rawLine in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first else { continue }
            switch first {
            case "include":
                for pattern in words.dropFirst() {
                    let absolute = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
                    for included in expandPattern(absolute) {
                        collect(included, depth: depth + 1, seen: &seen, into: &result)
                    }
                }
            case "hwcap":
                continue
            default:
                // Old syntax allows several directories per line, separated by ',' or ':', and
                // a "=type" suffix.
                for word in words {
                    for entry in word.split(whereSeparator: { $0 == "," || $0 == ":" }) {
                        var directory = String(entry.split(separator: "=", maxSplits: 1).first ?? "")
                        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
                        if directory.hasPrefix("/"), seen.insert(directory).inserted { result.append(directory) }
                    }
                }
            }
        }
    }

    /// Matches of a shell pattern, sorted as glob(3) sorts them.
    private static func expandPattern(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
