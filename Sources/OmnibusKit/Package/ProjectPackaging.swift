import Archive
import Definitions
import Foundation
import Linkage
import Packaging

/// Turns a built install dir into the project's packages: the project's settings become a
/// `PackageInfo`, `PackageScripts/<project>/` become maintainer scripts, and each configured
/// format is written into the output directory with its metadata file.
package struct ProjectPackaging {
    package let project: Project
    package let version: String
    package let repositoryRoot: String
    package let sourceDateEpoch: Int
    /// The registered formats, whose own scripts (`scriptOptions`) the project may name.
    package let formatKinds: [any PackageFormatKind.Type]
    /// The platform the packages are for, when built in a clean root; the host's otherwise.
    package var platform: PlatformInfo? = nil
    /// The layers the payload is written by (see `PayloadLayers.recorded`); none: one segment.
    package var layers = PayloadLayers([])
    /// Where each layer's compressed payload is kept for the next run; nil: nothing kept.
    package var segmentStore: PayloadSegmentStore?

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
        /// The run was interrupted; not a packaging problem.
        package var cancelled = false
    }

    package init(project: Project, version: String, repositoryRoot: String, sourceDateEpoch: Int,
                 formatKinds: [any PackageFormatKind.Type] = PackageFormats.standard) {
        self.formatKinds = formatKinds
        self.project = project
        self.version = version
        self.repositoryRoot = repositoryRoot
        self.sourceDateEpoch = sourceDateEpoch
    }

    /// Variables maintainer scripts may use.
    package static let scriptVariables = ["install_dir", "project", "version", "iteration", "user", "group"]

    /// The scripts in `PackageScripts/<project>/`, rendered; a generated `postinst` that fixes
    /// ownership when the project has none. Throws the first problem `scriptProblems` finds.
    package func scripts() throws(Failure) -> [ScriptKind: String] {
        let (scripts, problems) = renderScripts()
        if let first = problems.first { throw Failure(description: first) }
        return scripts
    }

    /// Every problem packaging would have with the scripts, for `validate`.
    package func scriptProblems() -> [String] { renderScripts().problems }

    private func renderScripts() -> (scripts: [ScriptKind: String], problems: [String]) {
        let directory = repositoryRoot + "/PackageScripts/" + project.name
        let values = ["install_dir": project.installDir, "project": project.name, "version": version,
                      "iteration": String(project.iteration), "user": project.package.user, "group": project.package.group]
        var scripts: [ScriptKind: String] = [:]
        var problems: [String] = []
        func render(_ relative: String, as kind: ScriptKind) {
            guard let text = try? String(contentsOfFile: repositoryRoot + "/" + relative, encoding: .utf8) else {
                problems.append("\(relative): not readable UTF-8 text")
                return
            }
            do {
                scripts[kind] = try Interpolation.render(text, values: values)
            } catch {
                let name = if case .unknownVariable(let name, _) = error { "'{{\(name)}}'" } else { "an unclosed '{{'" }
                problems.append("\(relative): \(name) is not a script variable (known: \(Self.scriptVariables.map { "{{\($0)}}" }.joined(separator: ", ")))")
            }
        }
        // The scripts every format with scripts runs, by their Debian names.
        for kind in ScriptKind.debian where FileManager.default.fileExists(atPath: directory + "/" + kind.rawValue) {
            render("PackageScripts/\(project.name)/\(kind.rawValue)", as: kind)
        }
        // A format's own scripts (rpm's pretrans), named in its package.<format> section.
        for format in formatKinds where project.package.formats.contains(format.name) {
            for key in format.scriptOptions {
                guard let relative = project.package.options[format.name]?[key], let kind = ScriptKind(rawValue: key) else { continue }
                render(relative, as: kind)
            }
        }
        for kind in ScriptKind.allCases where !ScriptKind.debian.contains(kind)
            && FileManager.default.fileExists(atPath: directory + "/" + kind.rawValue) && scripts[kind] == nil {
            problems.append("PackageScripts/\(project.name)/\(kind.rawValue) is not read: rpm's transaction scripts are named in the project, 'package: { rpm: { \(kind.rawValue): PackageScripts/\(project.name)/\(kind.rawValue) } }'")
        }
        if !project.users.isEmpty || !project.groups.isEmpty {
            let block = AccountScript.creation(users: project.users, groups: project.groups)
            if let preinst = AccountScript.prepend(block, to: scripts[.preinst]) {
                scripts[.preinst] = preinst
            } else {
                problems.append("PackageScripts/\(project.name)/preinst: with 'users:' or 'groups:' the preinst must be a /bin/sh or bash script, because the accounts are created at its start")
            }
        }
        if scripts[.postinst] == nil {
            scripts[.postinst] = MaintainerScripts.defaultPostinst(installDir: project.installDir,
                                                                   user: project.package.user, group: project.package.group)
        }
        return (scripts, problems)
    }

    package func info(versionManifest: Data?) throws(Failure) -> PackageInfo {
        // PackageInfo takes the description's first line as the summary and the rest as the long text.
        return PackageInfo(
            name: project.name, version: version, iteration: String(project.iteration), maintainer: project.maintainer,
            homepage: project.homepage, description: project.description,
            license: project.license, runtimeDependencies: project.runtimeDependencies, conflicts: project.conflicts, replaces: project.replaces,
            provides: project.provides, configFiles: project.configFiles, user: project.package.user,
            group: project.package.group, installDir: project.installDir, sourceDateEpoch: Int64(sourceDateEpoch),
            scripts: try scripts(), versionManifest: versionManifest, platform: platform ?? .current(), extraEntries: extraEntries)
    }

    /// What the packaged files need from the base system: the floors always (for the metadata),
    /// the relations unless `package.base_dependencies` is false.
    func baseSystem(of contents: PackageContents) throws(Failure) -> BaseSystemDependencies {
        var files: [BaseSystemScan.PackagedFile] = []
        var links: [String] = []
        for entry in contents.entries where !StepContext.isInside(entry.path, project.installDir + "/" + DebugTarball.directory) {
            switch entry.kind {
            case .file: files.append(.init(path: entry.path, source: entry.sourcePath, executable: entry.permissions & 0o111 != 0))
            case .symlink, .hardlink: links.append(entry.path)
            case .directory: continue
            }
        }
        let automatic = project.package.baseDependencies
        let needs: BaseSystemNeeds
        do { needs = try BaseSystemScan.needs(of: files, links: links) } catch {
            // With the relations off, a file that cannot be read costs the floors only.
            guard automatic else { return .none }
            throw Failure(description: "cannot derive the package's base-system dependencies: \(error); "
                          + "fix the file, or set 'package: { base_dependencies: false }' in \(project.file) and declare them yourself")
        }
        return BaseSystemDependencies(floors: needs.floorVersions, debian: automatic ? needs.debianDepends : [],
                                      rpm: automatic ? needs.rpmRequires : [])
    }

    /// The project's `files:` as entries, sources resolved against the repository.
    var extraEntries: [PackageInfo.ExtraEntry] {
        project.files.map { file in
            let kind: PackageInfo.ExtraEntry.Kind
            var isConfig = false
            switch file.kind {
            case .file(let source): kind = .file(source: repositoryRoot + "/" + source)
            case .config(let source):
                kind = .file(source: repositoryRoot + "/" + source)
                isConfig = true
            case .symlink(let target): kind = .symlink(target: target)
            case .directory: kind = .directory
            }
            return PackageInfo.ExtraEntry(path: file.path, kind: kind, permissions: file.mode, user: file.owner ?? "root",
                                          group: file.group ?? "root", isConfig: isConfig)
        }
    }

    /// Writes every configured format into `outputDirectory`. All formats are staged under
    /// temporary names first and put in place together, so a failure or an interrupt in any of
    /// them leaves no package (and no metadata) of this run in the output directory. With a
    /// `signer`, each package is signed while staged and its metadata describes the signed file.
    package func write(to outputDirectory: String, formats registry: [any Packager.Type] = PackageFormats.standard,
                       signer: (any PackageSigner)? = nil) async throws(Failure) -> [BuiltPackage] {
        let manifestPath = project.installDir + "/version-manifest.json"
        guard let manifest = FileManager.default.contents(atPath: manifestPath) else {
            throw Failure(description: "\(manifestPath) is missing: the install dir is not a finished build; run 'omnibus build \(project.name)' first")
        }
        var info = try info(versionManifest: manifest)
        let contents: PackageContents
        // The ownership marker belongs to the build machine, never to the package.
        // The strip steps' debug files go to their own tarball, or nowhere, unless kept.
        let debugFiles = project.package.debugFiles == .keep ? [] : [DebugTarball.directory]
        do { contents = try PackageContents.scan(info: info, exclude: project.exclude + [InstallDirGuard.markerName] + debugFiles) } catch {
            throw Failure(description: "\(error)")
        }
        info.baseSystem = try baseSystem(of: contents)
        var packagers: [(String, any Packager)] = []
        for name in project.package.formats {
            guard let kind = registry.first(where: { $0.name == name }) else {
                throw Failure(description: "\(name): no package format of that name is registered")
            }
            let packager = kind.init(options: project.package.options[name] ?? FormatOptions(defaultsOf: kind))
            // Every format's limits first: a file rpm cannot carry must not cost a deb's compression.
            do { try packager.preflight(contents) } catch { throw Failure(description: "\(name): \(error)") }
            packagers.append((name, packager))
        }
        // One read of the install dir for every format; the deb's data tar and a tarball of the
        // same compression are one stream, and the streams are compressed at the same time.
        let payloads: PackageWriter.StagedPayloads
        do {
            payloads = try PackageWriter.payloads(for: packagers.map(\.1), contents: contents, info: info,
                                                  outputDirectory: outputDirectory, layers: layers, store: segmentStore)
        } catch PackagingError.cancelled {
            throw Failure(description: "interrupted", cancelled: true)
        } catch {
            throw Failure(description: "\(project.package.formats.joined(separator: ", ")): \(error)")
        }
        var staged: [PackageWriter.Staged] = []
        for (name, packager) in packagers {
            do {
                if let signer {
                    staged.append(try await PackageWriter.stage(packager, contents: contents, info: info,
                                                                 outputDirectory: outputDirectory, signer: signer,
                                                                 payloads: payloads))
                } else {
                    staged.append(try PackageWriter.stage(packager, contents: contents, info: info, outputDirectory: outputDirectory,
                                                          payloads: payloads))
                }
            } catch PackagingError.cancelled {
                throw Failure(description: "interrupted", cancelled: true)
            } catch {
                throw Failure(description: "\(name): \(error)")
            }
        }
        if Task.isCancelled { throw Failure(description: "interrupted", cancelled: true) }
        try attachSBOMs(to: staged, manifest: manifest, manifestPath: manifestPath)
        var built: [BuiltPackage] = []
        do {
            for package in staged { built.append(try package.commit()) }
            try manifest.write(to: URL(fileURLWithPath: outputDirectory + "/\(project.name)-\(version)-\(project.iteration).version-manifest.json"))
        } catch {
            throw Failure(description: "cannot put the packages into \(outputDirectory): \(error)")
        }
        return built
    }

    /// Each package's SPDX and CycloneDX documents, staged with it so they appear together.
    private func attachSBOMs(to staged: [PackageWriter.Staged], manifest: Data, manifestPath: String) throws(Failure) {
        let decoded: VersionManifest
        do { decoded = try JSONDecoder().decode(VersionManifest.self, from: manifest) } catch {
            throw Failure(description: "\(manifestPath) is not a version manifest this omnibus writes (\(error)); run 'omnibus build \(project.name)' again")
        }
        for package in staged {
            do {
                for document in try PackageSBOMs.documents(for: package.built.metadata,
                                                           project: (project.license, project.homepage), manifest: decoded) {
                    try package.attach(fileName: document.fileName, contents: document.data)
                }
            } catch {
                throw Failure(description: "cannot write the SBOMs of \(package.built.metadata.basename): \(error)")
            }
        }
    }
}
