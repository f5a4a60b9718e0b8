import Definitions
import Foundation

/// The environment every build step sees: cleared, then pinned, so the same definition builds
/// the same way on every machine and nothing from the caller's shell leaks in.
package struct BuildEnvironment: Sendable {
    package let variables: [String: String]

    /// - Parameters:
    ///   - buildDir: stripped from debug info and `__FILE__` through a prefix map.
    ///   - destdir: the staging root, or nil for a live install.
    ///   - compilerCache: ccache, when turned on; it changes how compilers are reached, not what they write.
    init(inputs: SoftwareInputs, interpolation: [String: String], buildDir: String, destdir: String?,
         paths: WorkPaths, compilerCache: CompilerCache? = nil) throws(Interpolation.Failure) {
        let embedded = inputs.embeddedDir
        let prefixMap = "-ffile-prefix-map=\(buildDir)=."
        var env: [String: String] = [
            "PATH": "\(inputs.installDir)/bin:\(embedded)/bin:\(compilerCache?.toolPath(HostIdentity.toolPath) ?? HostIdentity.toolPath)",
            "CFLAGS": "-I\(embedded)/include -O2 \(prefixMap)",
            "CXXFLAGS": "-I\(embedded)/include -O2 \(prefixMap)",
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

    /// `NAME=value` lines, sorted, as written to logs.
    package var logLines: [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
