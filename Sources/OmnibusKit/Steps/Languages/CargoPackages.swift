import Foundation

/// The crates of a `Cargo.lock` that came from a registry or git (not the source's own crates):
/// name, version and the lock's sha256 checksum.
enum CargoPackages {
    static func read(_ path: String) -> [LanguagePackage] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var packages: [LanguagePackage] = []
        var fields: [String: String] = [:]
        func finish() {
            if let name = fields["name"], let version = fields["version"], fields["source"] != nil {
                packages.append(LanguagePackage(ecosystem: "cargo", name: name, version: version,
                                                checksum: fields["checksum"].map { "sha256:" + $0 }))
            }
            fields = [:]
        }
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { finish(); continue }
            // Only `key = "string"` lines matter; the dependency lists span lines and are skipped.
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { continue }
            fields[key] = String(value.dropFirst().dropLast())
        }
        finish()
        return packages
    }
}
