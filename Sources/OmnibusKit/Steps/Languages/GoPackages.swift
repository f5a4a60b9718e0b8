import Foundation

/// The Go modules a build used: `vendor/modules.txt` when vendored (what Go compiled), else
/// go.mod's requirements (all of them, since Go 1.17 lists indirect ones), without those a
/// `replace` points at a directory of the source. Checksums are go.sum's `h1:` hashes.
enum GoPackages {
    static func read(source: String, vendored: Bool) -> [LanguagePackage] {
        let sums = goSum(source + "/go.sum")
        var modules: [(String, String)] = []
        if vendored, let text = try? String(contentsOfFile: source + "/vendor/modules.txt", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("# ") {
                let words = line.dropFirst(2).split(separator: " ").map(String.init)
                // `# path version` or `# path version => replacement [version]`; a replacement by a
                // directory has no version of its own, the required one still names it.
                if words.count >= 2, !words[1].hasPrefix("=") { modules.append((words[0], words[1])) }
            }
        } else if let module = GoModule.read(source + "/go.mod") {
            modules = module.requirements.filter { !module.localReplacements.contains($0.path) }.map { ($0.path, $0.version) }
        }
        return modules.map { LanguagePackage(ecosystem: "go", name: $0.0, version: $0.1, checksum: sums["\($0.0) \($0.1)"]) }
    }

    /// `path version` -> `h1:…` of the module's content (not of its go.mod alone).
    static func goSum(_ path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count == 3, !words[1].hasSuffix("/go.mod") else { continue }
            sums["\(words[0]) \(words[1])"] = words[2]
        }
        return sums
    }
}
