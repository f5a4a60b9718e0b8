import Foundation

/// The parts of a `go.mod` the go step needs: the modules it requires and which of them a
/// `replace` points at a directory (those build without a download).
struct GoModule {
    /// `path version` of every requirement, as written.
    var requirements: [(path: String, version: String)] = []
    /// Module paths replaced by a local directory (`=> ../lib`).
    var localReplacements: Set<String> = []

    static func read(_ path: String) -> GoModule? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return GoModule(parsing: text)
    }

    init(parsing text: String) {
        var block: String?
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.range(of: "//").map { String(rawLine[..<$0.lowerBound]) } ?? String(rawLine)
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first else { continue }
            if first == ")" { block = nil; continue }
            if words.count == 2, words[1] == "(" { block = first; continue }
            let (directive, rest) = block.map { ($0, words) } ?? (first, Array(words.dropFirst()))
            switch directive {
            case "require" where rest.count >= 2:
                requirements.append((rest[0], rest[1]))
            case "replace":
                guard let arrow = rest.firstIndex(of: "=>"), arrow > 0, arrow + 1 < rest.count else { continue }
                let target = rest[arrow + 1]
                if target.hasPrefix("./") || target.hasPrefix("../") || target.hasPrefix("/") { localReplacements.insert(rest[0]) }
            default:
                continue
            }
        }
    }

    /// Requirements Go would fetch into the module cache: every one not replaced by a directory.
    var downloadedRequirements: [String] {
        requirements.filter { !localReplacements.contains($0.path) }.map { "\($0.path) \($0.version)" }
    }
}
