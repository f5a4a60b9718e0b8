import Definitions
import Digest
import Foundation
import Graph
import Spawning

/// Everything that can change a layer's bytes, hashed into its cache key. Paths of the work
/// directory are left out on purpose: the prefix map keeps them out of the output, and moving
/// the work dir should not throw the cache away.
struct CacheKeyInput: Encodable {
    let tool: String
    let software: String
    let version: String
    let source: String
    let sourceIdentity: String
    let relativePath: String?
    let steps: [String]
    let env: [String]
    let passedEnv: [String]
    let supportFiles: [String: String]
    let liveInstall: Bool
    let installDir: String
    let buildEpoch: Int
    let platform: String
    let compiler: String
    let dependencies: [String: String]

    var key: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return (try? Digests.hex(.sha256, of: data)) ?? UUID().uuidString
    }

    init(node: ResolvedSoftware, project: Project, sourceIdentity: String, buildEpoch: Int, host: HostIdentity,
         caller: [String: String], dependencyKeys: [String: String]) {
        tool = OmnibusVersion.current
        software = node.name
        version = node.version.version
        source = node.version.source.kind.keyText
        self.sourceIdentity = sourceIdentity
        relativePath = node.relativePath
        steps = node.steps.map(\.value.keyText)
        env = node.env.map { "\($0.name)=\($0.value)" }
        passedEnv = project.passEnv.sorted().map { "\($0)=\(caller[$0] ?? "")" }
        var files: [String: String] = [:]
        for file in node.steps.flatMap(\.value.kind.definitionFiles) {
            let path = file.hasPrefix("/") ? file : node.software.directory + "/" + file
            files[file] = (try? Digests.hex(.sha256, ofFile: path)) ?? "missing"
        }
        supportFiles = files
        liveInstall = node.software.liveInstall
        installDir = project.installDir
        self.buildEpoch = buildEpoch
        platform = host.platform
        compiler = host.compiler
        dependencies = dependencyKeys
    }
}

/// The build machine as far as it matters for binary output.
package struct HostIdentity: Sendable {
    package let platform: String
    package let compiler: String

    /// Reads /etc/os-release, the machine type and `cc --version` once per build.
    package static func current() async -> HostIdentity {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = OSRelease.current
        let compiler = (await capture(["cc", "--version"])?.split(separator: "\n").first.map(String.init)) ?? "no cc"
        return HostIdentity(platform: "\(release.id)-\(release.versionID)-\(machine)", compiler: compiler)
    }

    package init(platform: String, compiler: String) {
        self.platform = platform
        self.compiler = compiler
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
