import Foundation

/// The distribution a package is built for, as `/etc/os-release` names it (`debian` `12`,
/// `ubuntu` `22.04`, `rhel` `9.4`), for file names and metadata.
package struct PlatformInfo: Sendable, Hashable, Codable {
    /// `ID` from os-release (`debian`, `ubuntu`, `rhel`, ...).
    package var id: String
    /// `VERSION_ID` from os-release; empty for rolling distributions.
    package var version: String

    package init(id: String, version: String) {
        self.id = id
        self.version = version
    }

    /// `debian12`, `ubuntu22.04`: the form used in tarball names.
    package var tag: String { id + version }

    /// The host's platform, from `/etc/os-release` (then `/usr/lib/os-release`); `linux` with an
    /// empty version when neither exists.
    package static func current() -> PlatformInfo {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return parse(osRelease: text)
            }
        }
        return PlatformInfo(id: "linux", version: "")
    }

    /// Reads `ID` and `VERSION_ID` from os-release text (shell-style `KEY=value`, optionally quoted).
    package static func parse(osRelease text: String) -> PlatformInfo {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        // Only characters that are safe in a file name survive.
        func clean(_ value: String?) -> String {
            String((value ?? "").lowercased().unicodeScalars.filter {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_"
            }.map(Character.init))
        }
        let id = clean(values["ID"])
        return PlatformInfo(id: id.isEmpty ? "linux" : id, version: clean(values["VERSION_ID"]))
    }
}
