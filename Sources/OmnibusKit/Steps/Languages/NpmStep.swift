import Definitions
import Foundation

/// `npm: {prefix, scripts, args}`: the package in the source installed as npm would install it
/// globally, into `<prefix>/lib/node_modules/<name>` with its `bin` entries linked from
/// `<prefix>/bin` (`prefix` is `{{embedded}}`). Its files are what `npm pack` ships; its
/// dependencies are exactly package-lock.json's (`npm ci --omit=dev`), from the local files the
/// lock names and an npm cache inside the build, never the registry unless the software says
/// `network: true`. Install scripts run only with `scripts: true`.
struct NpmStep: StepKind {
    static let name = "npm"
    /// On the host, the command on the build PATH is enough, whichever package brought it.
    var hostTools: [HostTool] { [HostTool(command: "npm", package: "npm")] }
    let prefix: String
    let scripts: Bool
    let args: [String]

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> NpmStep? {
        if body.isNull { return NpmStep(prefix: "{{embedded}}", scripts: false, args: []) }
        guard let map = decoding.fields(body, allowed: ["prefix", "scripts", "args"]) else { return nil }
        return NpmStep(prefix: decoding.field(map, "prefix", required: false) ?? "{{embedded}}",
                       scripts: decoding.bool(map, "scripts") ?? false, args: decoding.list(map.value("args"), name: "npm.args"))
    }

    var summary: String { "npm ci into \(prefix)" }
    var keyText: String { "npm(prefix: \(Self.quoted(prefix)), scripts: \(scripts), args: \(args))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try ToolRun.lockedSource("package-lock.json", tool: "npm", unpinned: "its dependencies are",
                                              howTo: "run 'npm install --package-lock-only' and keep the lock with the source", step)
        let manifest = try NpmPackageManifest.read(source + "/package.json")
        let own = try ToolRun.privateDirectory("npm", step)
        let environment = [
            "npm_config_cache": own + "/cache", "npm_config_userconfig": own + "/npmrc",
            // The host's /etc/npmrc must not point the build at another registry or change its settings.
            "npm_config_globalconfig": own + "/npmrc-global",
            "npm_config_update_notifier": "false", "npm_config_audit": "false", "npm_config_fund": "false",
        ]
        var flags = ["--no-audit", "--no-fund"] + (step.network ? [] : ["--offline"]) + (scripts ? [] : ["--ignore-scripts"])
        for arg in args { flags.append(try step.render(arg)) }
        // Packed before node_modules exists: the private directory is still empty, so the
        // tarball holds only the package's own files.
        try await step.run(ToolRun.command(["npm", "pack", "--pack-destination", own] + flags, environment: environment))
        try await step.run(ToolRun.command(["npm", "ci", "--omit=dev"] + flags, environment: environment))

        let root = try step.writablePath(try step.render(prefix))
        let packageDir = root + "/lib/node_modules/" + manifest.name
        let tarball = try Self.packed(in: own, step)
        try FileStep.operation("empty \(packageDir)", step) {
            if FileStep.exists(packageDir) { try FileManager.default.removeItem(atPath: packageDir) }
            try FileManager.default.createDirectory(atPath: packageDir, withIntermediateDirectories: true)
        }
        try await step.run(["tar", "-xzf", tarball, "-C", packageDir, "--strip-components=1", "--no-same-owner", "--no-same-permissions"])
        if ToolRun.isDirectory(source + "/node_modules") {
            step.log("$ cp -a node_modules \(packageDir)/")
            try FileStep.operation("copy node_modules into \(packageDir)", step) {
                try FileManager.default.copyItem(atPath: source + "/node_modules", toPath: packageDir + "/node_modules")
            }
        }
        try FileStep.operation("link the commands of \(manifest.name) into \(root)/bin", step) {
            try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            for (command, path) in manifest.bin.sorted(by: { $0.key < $1.key }) {
                let link = root + "/bin/" + command
                // Relative, inside the prefix: the link works wherever the package is installed.
                let target = "../lib/node_modules/\(manifest.name)/" + NpmPackageManifest.relative(path)
                if FileStep.exists(link) { try FileManager.default.removeItem(atPath: link) }
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
                step.log("$ ln -s \(target) \(link)")
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: packageDir + "/" + NpmPackageManifest.relative(path))
            }
        }
        try LanguagePackage.record(NpmPackages.read(source + "/package-lock.json"), in: step)
    }

    /// The one tarball `npm pack` wrote.
    static func packed(in directory: String, _ step: any StepExecution) throws(StepFailure) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tgz") }
        guard names.count == 1 else { throw .io("npm pack left \(names.count) tarballs in \(directory), expected one") }
        return directory + "/" + names[0]
    }
}

/// The fields of package.json the npm step reads: the name (its directory under node_modules)
/// and its commands.
struct NpmPackageManifest {
    let name: String
    let version: String
    /// Command name -> script path.
    let bin: [String: String]

    static func read(_ path: String) throws(StepFailure) -> NpmPackageManifest {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .invalid("npm: \(path) is missing or not a JSON object")
        }
        guard let name = json["name"] as? String, !name.isEmpty, !name.contains(".."), !name.hasPrefix("/") else {
            throw .invalid("npm: package.json has no usable 'name' (its directory under lib/node_modules)")
        }
        let version = json["version"] as? String ?? ""
        var bin: [String: String] = [:]
        if let single = json["bin"] as? String {
            // A single string names one command, called like the package without its scope.
            bin[String(name.split(separator: "/").last ?? Substring(name))] = single
        } else if let map = json["bin"] as? [String: String] {
            bin = map
        }
        if let bad = bin.first(where: { $0.key.contains("/") || $0.value.contains("..") }) {
            throw .invalid("npm: package.json's bin entry '\(bad.key)': '\(bad.value)' must stay inside the package")
        }
        return NpmPackageManifest(name: name, version: version, bin: bin)
    }

    /// A path of package.json written `./bin/x` or `bin/x`, as the part after the package dir.
    static func relative(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return String(path)
    }
}
