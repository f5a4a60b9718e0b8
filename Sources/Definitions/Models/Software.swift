/// A software definition: where its source comes from and how it is built.
public struct Software: Sendable {
    public let name: String
    /// The file as shown to the user.
    public let file: String
    /// The directory holding the definition; patch and template files are found relative to it.
    public let directory: String
    public let defaultVersion: Located<String>
    public let license: String
    public let licenseFiles: [String]
    public let dependencies: [Located<String>]
    /// Version string -> how to get and build that version. Keys stay strings: "1.10" is not "1.1".
    public let versions: [String: SoftwareVersion]
    public let relativePath: String?
    public let env: [EnvSetting]
    public let build: [Located<BuildStep>]
    /// The software writes into the live install dir instead of a staging root, so it builds alone.
    public let liveInstall: Bool

    public init(name: String, file: String, directory: String, defaultVersion: Located<String>, license: String,
                licenseFiles: [String], dependencies: [Located<String>], versions: [String: SoftwareVersion],
                relativePath: String?, env: [EnvSetting], build: [Located<BuildStep>], liveInstall: Bool) {
        self.name = name
        self.file = file
        self.directory = directory
        self.defaultVersion = defaultVersion
        self.license = license
        self.licenseFiles = licenseFiles
        self.dependencies = dependencies
        self.versions = versions
        self.relativePath = relativePath
        self.env = env
        self.build = build
        self.liveInstall = liveInstall
    }

    /// Versions in a stable, human order (as written would need the mapping order; sorted is enough).
    public var versionNames: [String] { versions.keys.sorted() }
}

/// One entry of `versions:`: its source and anything it changes from the software's defaults.
public struct SoftwareVersion: Sendable {
    public let version: String
    public let source: Source
    public let location: SourceLocation
    public let relativePath: String?
    public let env: [EnvSetting]
    /// Replaces the software's `build` for this version when present.
    public let build: [Located<BuildStep>]?

    public init(version: String, source: Source, location: SourceLocation, relativePath: String?,
                env: [EnvSetting], build: [Located<BuildStep>]?) {
        self.version = version
        self.source = source
        self.location = location
        self.relativePath = relativePath
        self.env = env
        self.build = build
    }
}

/// An environment variable a software sets for its build steps (values may use variables).
public struct EnvSetting: Sendable, Equatable {
    public let name: String
    public let value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
