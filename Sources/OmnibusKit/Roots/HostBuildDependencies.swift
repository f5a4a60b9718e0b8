import Foundation
import Spawning

/// On the host (no clean root), the build dependencies the definitions declare for the host's
/// family must already be installed; all missing ones are named in one message before any
/// software builds, instead of one confusing configure failure at a time.
package enum HostBuildDependencies {
    /// Names dpkg does not report as installed, in the order given. Only Debian hosts are
    /// checked: elsewhere there is no dpkg to ask and the names would be another family's.
    package static func missing(_ names: [String]) async -> [String] {
        guard !names.isEmpty, let dpkgQuery = ChildProcess.which("dpkg-query", in: RootStore.path) else { return [] }
        var missing: [String] = []
        for name in names {
            let result = try? await ChildProcess([dpkgQuery, "-W", "-f=${db:Status-Abbrev}", name],
                                                 environment: ["PATH": RootStore.path, "LC_ALL": "C"]).capture()
            // `ii ` is installed; anything else (absent, removed, half-configured) needs installing.
            if result?.status != 0 || result?.output.hasPrefix("ii") != true { missing.append(name) }
        }
        return missing
    }

    /// Throws the one message naming every missing package and the command that installs them.
    /// - Parameters:
    ///   - absentCommands: commands steps imply that are not on their build PATH (`cmake (lib)`),
    ///     checked without dpkg, so a host of any family, or a software whose `env` sets its own
    ///     PATH, learns it before the first step fails with exit 127.
    ///   - packagesOfAbsent: the packages providing them, named in the install line.
    package static func check(_ names: [String], absentCommands: [String] = [], packagesOfAbsent: [String] = []) async throws(RootError) {
        var absent = await missing(names)
        for name in packagesOfAbsent where !absent.contains(name) { absent.append(name) }
        if !absent.isEmpty || !absentCommands.isEmpty { throw .missingHostPackages(absent, commands: absentCommands) }
    }
}
