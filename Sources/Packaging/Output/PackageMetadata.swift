import Foundation

/// `<package>.metadata.json`: what a CI job needs to publish a package without parsing its name.
/// Keys are sorted and nothing varies between two builds of the same inputs.
package struct PackageMetadata: Sendable, Equatable {
    package var name: String
    package var version: String
    package var iteration: String
    /// The architecture as the format names it (`amd64` for deb, `x86_64` for rpm and tar).
    package var arch: String
    package var platform: String
    package var platformVersion: String
    /// The format's registered name (`deb`, `rpm`, `tar`).
    package var format: String
    /// The package's file name, relative to the metadata file's directory.
    package var basename: String
    package var size: Int64
    package var sha256: String
    package var sha512: String
    /// The `SOURCE_DATE_EPOCH` written into the package.
    package var buildEpoch: Int64
    /// The install dir's `version-manifest.json`, embedded unchanged (null when absent).
    package var versionManifest: Data?
    /// The fingerprint of the key the package is signed with; nil (and no key in the JSON,
    /// so unsigned metadata stays as it was) when unsigned.
    package var signingKey: String? = nil
    /// The detached signature next to the package (`<basename>.asc`), for formats that carry
    /// none inside; nil (no key in the JSON) otherwise.
    package var signatureFile: String? = nil
    /// Files describing the package written next to it (its SBOMs), by file name; no key in the
    /// JSON when there are none.
    package var describedBy: [String] = []
    /// Base library -> the lowest version the package's files need (`"glibc": "2.34"`); no key
    /// in the JSON when the package has no dynamically linked file.
    package var baseSystem: [String: String] = [:]

    /// A metadata file as `encoded()` writes it; nil when it is not one (another tool's JSON, a
    /// truncated file). The embedded version manifest is not read back.
    package static func decode(_ data: Data) -> PackageMetadata? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let name = object["name"] as? String, let version = object["version"] as? String,
              let iteration = object["iteration"] as? String, let arch = object["arch"] as? String,
              let format = object["format"] as? String, let basename = object["basename"] as? String,
              let size = (object["size"] as? NSNumber)?.int64Value, let sha256 = object["sha256"] as? String,
              let buildEpoch = (object["build_epoch"] as? NSNumber)?.int64Value else { return nil }
        return PackageMetadata(name: name, version: version, iteration: iteration, arch: arch,
                               platform: object["platform"] as? String ?? "", platformVersion: object["platform_version"] as? String ?? "",
                               format: format, basename: basename, size: size, sha256: sha256,
                               sha512: object["sha512"] as? String ?? "", buildEpoch: buildEpoch, versionManifest: nil,
                               baseSystem: object["base_system"] as? [String: String] ?? [:])
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    package func encoded() -> Data {
        var fields: [(String, String)] = [
            ("arch", Self.quoted(arch)), ("basename", Self.quoted(basename)), ("build_epoch", String(buildEpoch)),
            ("format", Self.quoted(format)), ("iteration", Self.quoted(iteration)), ("name", Self.quoted(name)),
            ("platform", Self.quoted(platform)), ("platform_version", Self.quoted(platformVersion)),
            ("sha256", Self.quoted(sha256)), ("sha512", Self.quoted(sha512)), ("size", String(size)),
            ("version", Self.quoted(version)),
        ]
        fields.append(("version_manifest", manifestText()))
        if let signingKey { fields.append(("signing_key", Self.quoted(signingKey))) }
        if let signatureFile { fields.append(("signature_file", Self.quoted(signatureFile))) }
        if !describedBy.isEmpty {
            fields.append(("described_by", "[" + describedBy.map(Self.quoted).joined(separator: ", ") + "]"))
        }
        if !baseSystem.isEmpty {
            let entries = baseSystem.keys.sorted().map { "\(Self.quoted($0)): \(Self.quoted(baseSystem[$0]!))" }
            fields.append(("base_system", "{" + entries.joined(separator: ", ") + "}"))
        }
        fields.sort { $0.0 < $1.0 }
        let body = fields.map { "  \(Self.quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
        return Data(("{\n" + body + "\n}\n").utf8)
    }

    /// The manifest's own text, indented one level; JSON strings hold no raw newline, so
    /// indenting after each newline cannot change a value.
    private func manifestText() -> String {
        guard let manifest = versionManifest,
              (try? JSONSerialization.jsonObject(with: manifest, options: [.fragmentsAllowed])) != nil else { return "null" }
        let text = String(decoding: manifest, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.replacingOccurrences(of: "\n", with: "\n  ")
    }

    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
