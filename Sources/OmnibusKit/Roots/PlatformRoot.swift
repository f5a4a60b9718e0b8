import Definitions
import Foundation
import Packaging
import Spawning

/// A build running for a platform inside its clean root: what the phases do differently from a
/// host build. The steps' commands run in the root (`sandbox(for:)`), the layer keys name the
/// platform and the root's toolchain, the health check resolves against the root's loader, and
/// the packages carry the platform's name and version.
package struct PlatformRoot: Sendable {
    package let platform: TargetPlatform
    /// The extracted root on the host.
    package let directory: String

    package init(platform: TargetPlatform, directory: String) {
        self.platform = platform
        self.directory = directory
    }

    /// `--inside-root debian-12=/work/roots/debian-12`, as the outer run passes it to the inner one.
    package init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), let platform = TargetPlatform.named(String(argument[..<equals])) else {
            return nil
        }
        self.init(platform: platform, directory: String(argument[argument.index(after: equals)...]))
    }

    package var argument: String { platform.name + "=" + directory }

    /// Why `name` is not a platform `--platform` accepts (with a suggestion), or nil.
    package static func nameProblem(_ name: String) -> String? { TargetPlatform.unknownNameProblem(name) }

    /// The root read-only, with the work dir and install dir bound in read-write at their own
    /// paths (the install dir being, in this process's mount namespace, the platform's own).
    func sandbox(workDir: String, installDir: String, network: Bool) -> RootSandbox {
        RootSandbox(root: directory, binds: [.init(workDir, at: workDir), .init(installDir, at: installDir)], network: network)
    }

    var packagePlatform: PlatformInfo { PlatformInfo(id: platform.family, version: platform.version) }

    /// The root's tools as the layer key records them: what `command -v` finds in the root and
    /// the first lines of its `--version`.
    func toolchain(_ names: [String]) async -> [String: String] {
        var result: [String: String] = [:]
        let sandbox = RootSandbox(root: directory, binds: [], network: false)
        for name in names {
            let version = ChildProcess.shellQuoted(HostIdentity.versionArguments[name] ?? ["--version"])
            let script = "p=$(command -v \(name)) || { echo 'not found'; exit 0; }; readlink -f \"$p\"; \"$p\" \(version) 2>&1 | head -n 3"
            let arguments = (try? sandbox.wrap(["/bin/sh", "-c", script], directory: "/")) ?? []
            let output = (try? await ChildProcess(arguments, environment: ["PATH": HostIdentity.toolPath, "LC_ALL": "C", "HOME": "/nonexistent"])
                .capture())?.output ?? "not found"
            result[name] = output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return result
    }

    /// dpkg's name for this machine's architecture, which the root is made for.
    package static var hostArchitecture: String { PackageArchitecture.host.debian }
}

extension PlatformRoot {
    /// The build machine as the layer keys see it in this root: the platform's name and the
    /// root's toolchain instead of the host's, the same omnibus binary.
    func identity(cacheDir: String?) async -> HostIdentity {
        var tools = await toolchain(HostIdentity.standardTools)
        // Everything the root holds (its package list, with every software's build
        // dependencies, and the archive it came from) can change what a configure script finds,
        // so the root's spec key is a layer-key input like the toolchain.
        tools["root"] = (try? String(contentsOfFile: directory + ".key", encoding: .utf8)) ?? "unknown"
        // Only the tool's identity is the host's: its toolchain is not probed, the root's stands in.
        return HostIdentity(platform: "\(platform.name)-\(Self.hostArchitecture)", tool: HostIdentity.toolIdentity(cacheDir: cacheDir),
                            toolchain: tools)
    }
}
