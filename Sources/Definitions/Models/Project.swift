/// A project: what one package bundles and how it is described to package managers.
package struct Project: Sendable {
    package let name: String
    package let file: String
    package let maintainer: String
    package let homepage: String
    package let description: String
    package let license: String
    package let installDir: String
    package let version: ProjectVersion
    package let iteration: Int
    package let dependencies: [Located<String>]
    /// Software name -> pinned version, with where the pin was written.
    package let overrides: [String: Located<String>]
    package let runtimeDependencies: [String]
    package let conflicts: [String]
    package let replaces: [String]
    package let provides: [String]
    package let configFiles: [String]
    /// What the package installs outside the install dir (`files:`).
    package var files: [PackageFile] = []
    /// System accounts created before the files are unpacked (`users:`, `groups:`).
    package var users: [SystemUser] = []
    package var groups: [String] = []
    package let exclude: [String]
    /// Names of caller environment variables a build may see (proxies, say); nothing else leaks in.
    package let passEnv: [String]
    /// A software without `license_files` stops the build instead of only being warned about.
    package let requireLicenseFiles: Bool
    package let package: PackageSettings
    package let healthCheck: HealthCheckSettings
    /// `platforms:`: where `omnibus build` builds when no `--platform` is given; empty: the host.
    package var platforms: [String] = []
    /// `smoke_test:`: a command that proves an installed package works (the portability matrix).
    package var smokeTest: String?
    /// `flags:`: features `--with NAME` and `--without NAME` turn on and off for `when:`.
    package var flags: [ProjectFlag] = []
    /// `when:` of the `dependencies:` entries that have one, by dependency name.
    package var dependencyConditions: [String: Condition] = [:]

    package init(name: String, file: String, maintainer: String, homepage: String, description: String,
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
    package var embeddedDir: String { installDir + "/embedded" }
}

/// Where a project's version comes from.
package enum ProjectVersion: Sendable, Equatable {
    case literal(String)
    /// `git describe --tags` of the packaging repository.
    case gitDescribe
    /// An environment variable, with an optional fallback.
    case environment(variable: String, fallback: String?)
}
