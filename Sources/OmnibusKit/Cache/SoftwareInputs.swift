import Definitions
import Digest
import Foundation
import Graph

/// Everything one software's build consumes, as one value. `SoftwareBuild` reads its inputs
/// only from here, and the layer key is the SHA-256 of this value's canonical JSON (sorted keys,
/// no reflection), so nothing can change a layer's bytes without changing its key.
///
/// Paths of the work directory are left out on purpose: the prefix map keeps them out of the
/// output, and moving the work dir should not throw the cache away. The definition's directory
/// is not keyed either, only the contents of the files read from it.
struct SoftwareInputs: Sendable, Encodable {
    /// Bumped when the meaning of a field changes, so old entries are never taken for new ones,
    /// and when layers made before could be wrong: 3 retires layers built while concurrent
    /// source extractions could leave the process at umask 0 (world-writable files).
    let keyFormat = 3
    let software: String
    let version: String
    let project: String
    let installDir: String
    let source: Source
    /// Checksum, commit or content hash of the source, fixed before the build starts.
    let sourceIdentity: String
    let relativePath: String?
    let steps: [Located<BuildStep>]
    let env: [EnvSetting]
    /// `pass_env` names (the project's and this software's own) that the caller set, with their
    /// values at key time: a software's own names reach only its key.
    let passedEnv: [String: String]
    let licenseFiles: [String]
    let liveInstall: Bool
    /// Files beside the definition that steps read (patches, templates), by path as written, with
    /// their SHA-256 (`missing` or `unrenderable: ...` when they cannot be read at key time).
    let definitionFiles: [String: String]
    let buildEpoch: Int
    let platform: String
    /// Tool name -> resolved path and version output (cc, c++, ld, make, and the definition's `tools`).
    let toolchain: [String: String]
    /// The omnibus binary that builds (its version and the SHA-256 of the executable).
    let tool: String
    /// `network: true`: the steps reach the network in a clean root (what they fetch is not keyed,
    /// but a build with and without network are different builds).
    let network: Bool
    /// Dependency name -> its layer key.
    let dependencies: [String: String]

    /// Where the definition lives, for messages and to find its files; not keyed.
    let definitionDir: String
    let definitionFile: String

    var embeddedDir: String { installDir + "/embedded" }

    private enum CodingKeys: String, CodingKey {
        case keyFormat, software, version, project, installDir, source, sourceIdentity, relativePath, steps, env,
             passedEnv, licenseFiles, liveInstall, definitionFiles, buildEpoch, platform, toolchain, tool, dependencies, network
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyFormat, forKey: .keyFormat)
        try container.encode(software, forKey: .software)
        try container.encode(version, forKey: .version)
        try container.encode(project, forKey: .project)
        try container.encode(installDir, forKey: .installDir)
        try container.encode(source.kindName + ":" + source.kind.keyText, forKey: .source)
        try container.encode(sourceIdentity, forKey: .sourceIdentity)
        try container.encodeIfPresent(relativePath, forKey: .relativePath)
        try container.encode(steps.map(\.value.identityText), forKey: .steps)
        try container.encode(env.map { "\($0.name)=\($0.value)" }, forKey: .env)
        try container.encode(passedEnv, forKey: .passedEnv)
        try container.encode(licenseFiles, forKey: .licenseFiles)
        try container.encode(liveInstall, forKey: .liveInstall)
        try container.encode(definitionFiles, forKey: .definitionFiles)
        try container.encode(buildEpoch, forKey: .buildEpoch)
        try container.encode(platform, forKey: .platform)
        try container.encode(toolchain, forKey: .toolchain)
        try container.encode(tool, forKey: .tool)
        try container.encode(dependencies, forKey: .dependencies)
        // Only when set, so host builds' keys stay what they were.
        if network { try container.encode(network, forKey: .network) }
    }

    /// The canonical bytes the key hashes (also written into the software's log).
    var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    var key: String { (try? Digests.hex(.sha256, of: canonicalJSON)) ?? UUID().uuidString }

    /// The variables known before the build starts (`jobs`, `destdir` and `source_dir` are not):
    /// what paths read at key time (patches, templates, a declared tool's PATH) are rendered with.
    static func keyTimeVariables(node: ResolvedSoftware, project: Project) -> [String: String] {
        ["install_dir": project.installDir, "embedded": project.embeddedDir, "version": node.version.version,
         "project": project.name]
    }

    init(node: ResolvedSoftware, project: Project, sourceIdentity: String, buildEpoch: Int, host: HostIdentity,
         toolchain: [String: String], caller: [String: String], dependencyKeys: [String: String]) {
        software = node.name
        version = node.version.version
        self.project = project.name
        installDir = project.installDir
        source = node.version.source
        self.sourceIdentity = sourceIdentity
        relativePath = node.relativePath
        steps = node.steps
        env = node.env
        passedEnv = Dictionary((project.passEnv + node.software.passEnv).compactMap { name in caller[name].map { (name, $0) } },
                               uniquingKeysWith: { first, _ in first })
        licenseFiles = node.software.licenseFiles
        liveInstall = node.software.liveInstall
        network = node.software.network
        self.buildEpoch = buildEpoch
        platform = host.platform
        self.toolchain = toolchain
        tool = host.tool
        dependencies = dependencyKeys
        definitionDir = node.software.directory
        definitionFile = node.software.file
        let known = Self.keyTimeVariables(node: node, project: project)
        var files: [String: String] = [:]
        for written in node.steps.flatMap(\.value.kind.definitionFiles) {
            guard let file = try? Interpolation.render(written, values: known) else {
                files[written] = "unrenderable: uses a variable only known during the build"
                continue
            }
            let path = file.hasPrefix("/") ? file : node.software.directory + "/" + file
            files[written] = (try? Digests.hex(.sha256, ofFile: path)) ?? "missing"
        }
        definitionFiles = files
    }
}
