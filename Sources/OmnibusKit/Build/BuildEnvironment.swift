import Definitions
import Foundation

/// The environment every build step sees: cleared, then pinned, so the same definition builds
/// the same way on every machine and nothing from the caller's shell leaks in.
package struct BuildEnvironment: Sendable {
    package let variables: [String: String]

    /// - Parameters:
    ///   - buildDir: stripped from debug info and `__FILE__` through a prefix map.
    ///   - destdir: the staging root, or nil for a live install.
    ///   - caller: the caller's environment; only names the project lists in `pass_env` are taken.
    package init(project: Project, software: [EnvSetting], interpolation: [String: String], buildDir: String,
                destdir: String?, paths: WorkPaths, sourceDateEpoch: Int, caller: [String: String]) throws(Interpolation.Failure) {
        let embedded = project.embeddedDir
        let prefixMap = "-ffile-prefix-map=\(buildDir)=."
        var env: [String: String] = [
            "PATH": "\(project.installDir)/bin:\(embedded)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "CFLAGS": "-I\(embedded)/include -O2 \(prefixMap)",
            "CXXFLAGS": "-I\(embedded)/include -O2 \(prefixMap)",
            "CPPFLAGS": "-I\(embedded)/include",
            "LDFLAGS": "-Wl,-rpath,\(embedded)/lib -L\(embedded)/lib",
            "LD_RUN_PATH": "\(embedded)/lib",
            "PKG_CONFIG_PATH": "\(embedded)/lib/pkgconfig:\(embedded)/share/pkgconfig",
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
            "SOURCE_DATE_EPOCH": String(sourceDateEpoch),
            "HOME": paths.homeDir,
            "TMPDIR": paths.tmpDir,
            "SHELL": "/bin/sh",
            "OMNIBUS_INSTALL_DIR": project.installDir,
        ]
        if let destdir { env["DESTDIR"] = destdir }
        for name in project.passEnv {
            if let value = caller[name] { env[name] = value }
        }
        for setting in software {
            env[setting.name] = try Interpolation.render(setting.value, values: interpolation)
        }
        variables = env
    }

    /// `NAME=value` lines, sorted, as written to logs.
    package var logLines: [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
