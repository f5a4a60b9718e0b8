import Definitions
import Foundation

/// The environment every build step sees: cleared, then pinned, so the same definition builds
/// the same way on every machine and nothing from the caller's shell leaks in.
package struct BuildEnvironment: Sendable {
    package let variables: [String: String]

    /// - Parameters:
    ///   - compilerWrappers: the directory of `CompilerWrappers`, searched before the tool path;
    ///     they strip the build dir from debug info and `__FILE__`, which CFLAGS must not
    ///     mention (configure scripts record CFLAGS in installed files).
    ///   - destdir: the staging root, or nil for a live install.
    ///   - compilerCache: ccache, when turned on: the wrappers run compilers through it, and its
    ///     settings are set here; it changes how compilers are reached, not what they write.
    init(inputs: SoftwareInputs, interpolation: [String: String], compilerWrappers: String, destdir: String?,
         paths: WorkPaths, compilerCache: CompilerCache? = nil) throws(Interpolation.Failure) {
        let embedded = inputs.embeddedDir
        var env: [String: String] = [
            "PATH": "\(inputs.installDir)/bin:\(embedded)/bin:\(compilerWrappers):\(HostIdentity.toolPath)",
            "CFLAGS": "-I\(embedded)/include -O2",
            "CXXFLAGS": "-I\(embedded)/include -O2",
            "CPPFLAGS": "-I\(embedded)/include",
            "LDFLAGS": "-Wl,-rpath,\(embedded)/lib -L\(embedded)/lib",
            "LD_RUN_PATH": "\(embedded)/lib",
            "PKG_CONFIG_PATH": "\(embedded)/lib/pkgconfig:\(embedded)/share/pkgconfig",
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
            "SOURCE_DATE_EPOCH": String(inputs.buildEpoch),
            "HOME": paths.homeDir,
            "TMPDIR": paths.tmpDir,
            "SHELL": "/bin/sh",
            "OMNIBUS_INSTALL_DIR": inputs.installDir,
        ]
        if let destdir { env["DESTDIR"] = destdir }
        for (name, value) in compilerCache?.environment ?? [:] { env[name] = value }
        // The values keyed when the build started, not whatever the caller's shell says now.
        for (name, value) in inputs.passedEnv { env[name] = value }
        for setting in inputs.env {
            env[setting.name] = try Interpolation.render(setting.value, values: interpolation)
        }
        variables = env
    }

    private init(variables: [String: String]) {
        self.variables = variables
    }

    /// This environment with a step's own `env:` set over it, for that step only.
    func overlaid(with settings: [EnvSetting], interpolation: [String: String]) throws(Interpolation.Failure) -> BuildEnvironment {
        var env = variables
        for setting in settings { env[setting.name] = try Interpolation.render(setting.value, values: interpolation) }
        return BuildEnvironment(variables: env)
    }

    /// `NAME=value` lines, sorted, as written to logs.
    package var logLines: [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
