import Foundation

/// `version-manifest.json`: what went into an install dir, for audits and package metadata.
public struct VersionManifest: Codable, Sendable, Equatable {
    public struct Component: Codable, Sendable, Equatable {
        public let version: String
        /// `url`, `file`, `git` or `path`.
        public let sourceType: String
        /// The URL, mirror file name, repository or path.
        public let source: String
        /// `sha256:<hex>`, `sha512:<hex>`, `git:<commit>` or `tree-sha256:<hex>`.
        public let checksum: String
        public let license: String
        public let licenseFiles: [String]
        public let dependencies: [String]
        public let layerKey: String

        enum CodingKeys: String, CodingKey {
            case version, source, checksum, license, dependencies
            case sourceType = "source_type"
            case licenseFiles = "license_files"
            case layerKey = "layer_key"
        }
    }

    public let manifestFormat: Int
    public let project: String
    public let version: String
    public let iteration: Int
    public let installDir: String
    public let buildPlatform: String
    public let software: [String: Component]

    enum CodingKeys: String, CodingKey {
        case project, version, iteration, software
        case manifestFormat = "manifest_format"
        case installDir = "install_dir"
        case buildPlatform = "build_platform"
    }

    /// Sorted keys and no timestamps: the same build gives the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
