import Foundation

/// `version-manifest.json`: what went into an install dir, for audits and package metadata.
package struct VersionManifest: Codable, Sendable, Equatable {
    package struct Component: Codable, Sendable, Equatable {
        package let version: String
        /// `url`, `file`, `git` or `path`.
        package let sourceType: String
        /// The URL, mirror file name, repository or path.
        package let source: String
        /// `sha256:<hex>`, `sha512:<hex>`, `git:<commit>` or `tree-sha256:<hex>`.
        package let checksum: String
        package let license: String
        package let licenseFiles: [String]
        package let dependencies: [String]
        package let layerKey: String
        /// What its pip steps installed (`InstalledDistribution`); absent for other software.
        package var distributions: [InstalledDistribution]? = nil
        /// What its other language steps installed (Go modules, crates, npm packages, gems).
        package var packages: [LanguagePackage]? = nil

        enum CodingKeys: String, CodingKey {
            case version, source, checksum, license, dependencies, distributions, packages
            case sourceType = "source_type"
            case licenseFiles = "license_files"
            case layerKey = "layer_key"
        }
    }

    /// What `when:` conditions were evaluated against: the project's flags (each on or off) and
    /// the platform facts some condition read. Absent when the project and its software have
    /// no condition and declare no flag, so their manifests stay as they were.
    package struct Conditions: Codable, Sendable, Equatable {
        package let flags: [String: Bool]
        package let platform: [String: String]
    }

    package let manifestFormat: Int
    package let project: String
    package let version: String
    package let iteration: Int
    package let installDir: String
    package let buildPlatform: String
    package let software: [String: Component]
    package var conditions: Conditions? = nil

    enum CodingKeys: String, CodingKey {
        case project, version, iteration, software, conditions
        case manifestFormat = "manifest_format"
        case installDir = "install_dir"
        case buildPlatform = "build_platform"
    }

    /// Sorted keys and no timestamps: the same build gives the same bytes.
    package func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
