import Definitions
import Digest
import Foundation
import Graph

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
        source = "\(node.version.source)"
        self.sourceIdentity = sourceIdentity
        relativePath = node.relativePath
        steps = node.steps.map { "\($0.value)" }
        env = node.env.map { "\($0.name)=\($0.value)" }
        passedEnv = project.passEnv.sorted().map { "\($0)=\(caller[$0] ?? "")" }
        var files: [String: String] = [:]
        for step in node.steps {
            switch step.value {
            case .patch(let file, _), .template(let file, _, _):
                let path = file.hasPrefix("/") ? file : node.software.directory + "/" + file
                files[file] = (try? Digests.hex(.sha256, ofFile: path)) ?? "missing"
            default: break
            }
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
    package static func current() -> HostIdentity {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = OSRelease.current
        let compiler = (try? capture(["cc", "--version"]).split(separator: "\n").first.map(String.init)) ?? "no cc"
        return HostIdentity(platform: "\(release.id)-\(release.versionID)-\(machine)", compiler: compiler)
    }

    package init(platform: String, compiler: String) {
        self.platform = platform
        self.compiler = compiler
    }

    static func capture(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
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
