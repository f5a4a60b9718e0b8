import Foundation

/// The packages `npm ci --omit=dev` installs from a `package-lock.json` (lockfile version 2 or
/// 3: the `packages` map): every `node_modules/...` entry that is not a dev dependency or a
/// link, with the lock's integrity hash.
enum NpmPackages {
    static func read(_ path: String) -> [LanguagePackage] {
        guard let data = FileManager.default.contents(atPath: path),
              let lock = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = lock["packages"] as? [String: Any] else { return [] }
        var packages: [LanguagePackage] = []
        for (location, value) in entries {
            guard let range = location.range(of: "node_modules/", options: .backwards),
                  let entry = value as? [String: Any], entry["dev"] as? Bool != true, entry["link"] as? Bool != true,
                  let version = entry["version"] as? String else { continue }
            let name = entry["name"] as? String ?? String(location[range.upperBound...])
            packages.append(LanguagePackage(ecosystem: "npm", name: name, version: version, checksum: entry["integrity"] as? String))
        }
        return packages
    }
}
