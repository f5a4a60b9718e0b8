import Archive
import Digest
import Foundation
import Spawning

/// The build machine and the tool as far as they matter for binary output: the platform, the
/// omnibus binary, and the toolchain that steps find on the build PATH.
package struct HostIdentity: Sendable {
    package let platform: String
    /// `omnibus <version> sha256:<executable digest>`: a new build of the tool is a new identity.
    package let tool: String
    /// The tools every build can use, probed once per run.
    package let toolchain: [String: String]

    /// What every C build may call; a definition adds its own with `tools:`.
    static let standardTools = ["cc", "c++", "ld", "make"]

    /// The system part of the pinned build PATH, where steps find host tools.
    static let toolPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Reads /etc/os-release, the machine type, the running executable and the standard tools.
    /// With a cache dir, the executable's digest is remembered there (`ToolDigestRecord`).
    package static func current(cacheDir: String? = nil) async -> HostIdentity {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = OSRelease.current
        var toolchain: [String: String] = [:]
        for name in standardTools { toolchain[name] = await probe(name) }
        return HostIdentity(platform: "\(release.id)-\(release.versionID)-\(machine)", tool: toolIdentity(cacheDir: cacheDir),
                            toolchain: toolchain)
    }

    package init(platform: String, tool: String, toolchain: [String: String]) {
        self.platform = platform
        self.tool = tool
        self.toolchain = toolchain
    }

    /// `<resolved path>\n<first lines of --version>`, or `not found`.
    /// Tools that answer something else than `--version` (Go rejects it).
    static let versionArguments = ["go": ["version"]]

    static func probe(_ name: String, path: String = toolPath) async -> String {
        guard let found = ChildProcess.which(name, in: path) else { return "not found" }
        let resolved = URL(fileURLWithPath: found).resolvingSymlinksInPath().path
        var environment = ["PATH": path, "LC_ALL": "C"]
        environment["HOME"] = "/nonexistent"
        let output = (try? await ChildProcess([found] + (versionArguments[name] ?? ["--version"]), environment: environment).capture())?.output ?? ""
        return resolved + "\n" + output.split(separator: "\n").prefix(3).joined(separator: "\n")
    }

    static func toolIdentity(cacheDir: String? = nil) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let digest = cacheDir.flatMap { ToolDigestRecord.digest(of: executable, cacheDir: $0) }
            ?? (try? Digests.hex(.sha256, ofFile: executable)) ?? "unknown"
        // The compression libraries are loaded at run time: an upgraded liblzma or zlib may
        // compress the same bytes differently, and cached payload segments and packages made
        // with the old one must not be spliced into or served for a new build.
        return "omnibus \(OmnibusVersion.current) sha256:\(digest) \(LibarchiveVersion.runtime)"
    }

    /// What a probe printed when it ran and succeeded, else nil.
    static func capture(_ arguments: [String]) async -> String? {
        guard let result = try? await ChildProcess(arguments).capture(), result.status == 0 else { return nil }
        return result.output
    }
}

/// `/etc/os-release`: the distribution name and version, for platform names and cache keys.
package struct OSRelease: Sendable {
    package let id: String
    package let versionID: String

    package static var current: OSRelease {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return OSRelease(id: fields["ID"] ?? "linux", versionID: fields["VERSION_ID"] ?? "unknown")
    }
}
