/// A project: what one package bundles and how it is described to package managers.
public struct Project: Sendable {
    public let name: String
    public let file: String
    public let maintainer: String
    public let homepage: String
    public let description: String
    public let license: String
    public let installDir: String
    public let version: ProjectVersion
    public let iteration: Int
    public let dependencies: [Located<String>]
    /// Software name -> pinned version, with where the pin was written.
    public let overrides: [String: Located<String>]
    public let runtimeDependencies: [String]
    public let conflicts: [String]
    public let replaces: [String]
    public let provides: [String]
    public let configFiles: [String]
    public let exclude: [String]
    /// Names of caller environment variables a build may see (proxies, say); nothing else leaks in.
    public let passEnv: [String]
    /// A software without `license_files` stops the build instead of only being warned about.
    public let requireLicenseFiles: Bool
    public let package: PackageSettings
    public let healthCheck: HealthCheckSettings

    public init(name: String, file: String, maintainer: String, homepage: String, description: String,
                license: String, installDir: String, version: ProjectVersion, iteration: Int,
                dependencies: [Located<String>], overrides: [String: Located<String>],
                runtimeDependencies: [String], conflicts: [String], replaces: [String], provides: [String],
                configFiles: [String], exclude: [String], passEnv: [String], requireLicenseFiles: Bool = false,
                package: PackageSettings, healthCheck: HealthCheckSettings) {
        self.name = name
        self.file = file
        self.maintainer = maintainer
        self.homepage = homepage
        self.description = description
        self.license = license
        self.installDir = installDir
        self.version = version
        self.iteration = iteration
        self.dependencies = dependencies
        self.overrides = overrides
        self.runtimeDependencies = runtimeDependencies
        self.conflicts = conflicts
        self.replaces = replaces
        self.provides = provides
        self.configFiles = configFiles
        self.exclude = exclude
        self.passEnv = passEnv
        self.requireLicenseFiles = requireLicenseFiles
        self.package = package
        self.healthCheck = healthCheck
    }

    /// `<install_dir>/embedded`, where software installs its files.
    public var embeddedDir: String { installDir + "/embedded" }
}

/// Where a project's version comes from.
public enum ProjectVersion: Sendable, Equatable {
    case literal(String)
    /// `git describe --tags` of the packaging repository.
    case gitDescribe
    /// An environment variable, with an optional fallback.
    case environment(variable: String, fallback: String?)
}
