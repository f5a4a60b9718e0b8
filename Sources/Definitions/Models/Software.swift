/// A software definition: where its source comes from and how it is built.
package struct Software: Sendable {
    package let name: String
    /// The file as shown to the user.
    package let file: String
    /// The directory holding the definition; patch and template files are found relative to it.
    package let directory: String
    package let defaultVersion: Located<String>
    package let license: String
    /// Where `license:` is written, so a warning about the license names a line.
    package let licenseLocation: SourceLocation?
    package let licenseFiles: [String]
    package let dependencies: [Located<String>]
    /// Version string -> how to get and build that version. Keys stay strings: "1.10" is not "1.1".
    package let versions: [String: SoftwareVersion]
    package let relativePath: String?
    package let env: [EnvSetting]
    package let build: [Located<BuildStep>]
    /// The software writes into the live install dir instead of a staging root, so it builds alone.
    package let liveInstall: Bool
    /// Host tools its steps run besides cc, c++, ld and make (`swift`, `cmake`): their path and
    /// version are part of its layer key.
    package let tools: [String]
    /// `build_dependencies:`: platform family -> system packages a clean root needs for this
    /// build (and the host must have); they are installed into the root when it is made.
    package var buildDependencies: [String: [String]] = [:]
    /// `network: true`: its steps may reach the network inside a clean root (off otherwise).
    package var network = false
    /// `when:` of the `dependencies:` entries that have one, by dependency name.
    package var dependencyConditions: [String: Condition] = [:]
    /// `default_version` choices tried in order before `defaultVersion`, the fallback.
    package var versionChoices: [VersionChoice] = []
    /// `pass_env:` of this software: caller variables its steps see (and only its layer keys).
    package var passEnv: [String] = []

    package init(name: String, file: String, directory: String, defaultVersion: Located<String>, license: String,
                licenseFiles: [String], dependencies: [Located<String>], versions: [String: SoftwareVersion],
                relativePath: String?, env: [EnvSetting], build: [Located<BuildStep>], liveInstall: Bool,
                tools: [String] = [], licenseLocation: SourceLocation? = nil) {
        self.name = name
        self.file = file
        self.directory = directory
        self.defaultVersion = defaultVersion
        self.license = license
        self.licenseLocation = licenseLocation
        self.licenseFiles = licenseFiles
        self.dependencies = dependencies
        self.versions = versions
        self.relativePath = relativePath
        self.env = env
        self.build = build
        self.liveInstall = liveInstall
        self.tools = tools
    }

    /// Versions in a stable, human order (as written would need the mapping order; sorted is enough).
    package var versionNames: [String] { versions.keys.sorted() }
}

/// One entry of `versions:`: its source and anything it changes from the software's defaults.
package struct SoftwareVersion: Sendable {
    package let version: String
    package let source: Source
    package let location: SourceLocation
    package let relativePath: String?
    package let env: [EnvSetting]
    /// Replaces the software's `build` for this version when present.
    package let build: [Located<BuildStep>]?

    package init(version: String, source: Source, location: SourceLocation, relativePath: String?,
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
package struct EnvSetting: Sendable, Equatable {
    package let name: String
    package let value: String
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
