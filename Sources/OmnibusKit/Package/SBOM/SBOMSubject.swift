import Foundation
import Packaging

/// What an SBOM describes: one written package (the root) and the software of its version
/// manifest. Everything in it comes from the package's bytes and the manifest, so two builds
/// of the same inputs describe the same thing in the same bytes.
struct SBOMSubject {
    let package: PackageMetadata
    /// The project's `license:` and `homepage:`, for the root.
    let license: String
    let homepage: String
    let manifest: VersionManifest
    /// `SOURCE_DATE_EPOCH` of the package: the SBOM's creation time, never the wall clock.
    let epoch: Int64
    let toolVersion: String

    /// Software names in a stable order (the manifest is a map).
    var softwareNames: [String] { manifest.software.keys.sorted() }

    /// `2024-01-01T00:00:00Z`.
    var created: String {
        var time = time_t(epoch)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The package's full version as its name carries it.
    var packageVersion: String { package.version + "-" + package.iteration }

    /// A purl of type `generic`: the package is not in a public ecosystem whose purl type
    /// (`deb`, `rpm`) would need a distribution namespace it does not have.
    var packagePURL: String {
        "pkg:generic/" + Self.purlEncoded(package.name) + "@" + Self.purlEncoded(packageVersion)
            + "?arch=" + Self.purlEncoded(package.arch) + "&type=" + Self.purlEncoded(package.format)
    }

    func softwarePURL(_ name: String) -> String {
        "pkg:generic/" + Self.purlEncoded(name) + "@" + Self.purlEncoded(manifest.software[name]?.version ?? "")
    }

    /// The digest a manifest checksum names, when it is a digest of the downloaded file.
    static func fileDigest(_ checksum: String) -> (algorithm: String, hex: String)? {
        for algorithm in ["sha256", "sha512"] where checksum.hasPrefix(algorithm + ":") {
            return (algorithm, String(checksum.dropFirst(algorithm.count + 1)))
        }
        return nil
    }

    /// The commit of a git source.
    static func gitCommit(_ checksum: String) -> String? {
        checksum.hasPrefix("git:") ? String(checksum.dropFirst(4)) : nil
    }

    /// A source location that is a URL other tools can fetch (not a local path or a mirror file name).
    static func isFetchableURL(_ location: String) -> Bool {
        ["https://", "http://", "ftp://"].contains { location.hasPrefix($0) }
    }

    private static func purlEncoded(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: ".-_~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
