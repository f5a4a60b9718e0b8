import Archive
import Definitions
import Foundation
import Packaging

/// Turns a built install dir into the project's packages: the project's settings become a
/// `PackageInfo`, `PackageScripts/<project>/` become maintainer scripts, and each configured
/// format is written into the output directory with its metadata file.
package struct ProjectPackaging {
    package let project: Project
    package let version: String
    package let repositoryRoot: String
    package let sourceDateEpoch: Int

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package init(project: Project, version: String, repositoryRoot: String, sourceDateEpoch: Int) {
        self.project = project
        self.version = version
        self.repositoryRoot = repositoryRoot
        self.sourceDateEpoch = sourceDateEpoch
    }

    /// Variables maintainer scripts may use.
    package static let scriptVariables = ["install_dir", "project", "version", "iteration", "user", "group"]

    /// The scripts in `PackageScripts/<project>/`, rendered; a generated `postinst` that fixes
    /// ownership when the project has none.
    package func scripts() throws(Failure) -> [ScriptKind: String] {
        let directory = repositoryRoot + "/PackageScripts/" + project.name
        let values = ["install_dir": project.installDir, "project": project.name, "version": version,
                      "iteration": String(project.iteration), "user": project.package.user, "group": project.package.group]
        var scripts: [ScriptKind: String] = [:]
        for kind in ScriptKind.allCases {
            let path = directory + "/" + kind.rawValue
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(description: "PackageScripts/\(project.name)/\(kind.rawValue): not readable UTF-8 text")
            }
            do {
                scripts[kind] = try Interpolation.render(text, values: values)
            } catch {
                let name = if case .unknownVariable(let name, _) = error { "'{{\(name)}}'" } else { "an unclosed '{{'" }
                throw Failure(description: "PackageScripts/\(project.name)/\(kind.rawValue): \(name) is not a script variable (known: \(Self.scriptVariables.map { "{{\($0)}}" }.joined(separator: ", ")))")
            }
        }
        if scripts[.postinst] == nil {
            scripts[.postinst] = MaintainerScripts.defaultPostinst(installDir: project.installDir,
                                                                   user: project.package.user, group: project.package.group)
        }
        return scripts
    }

    package func info(versionManifest: Data?) throws(Failure) -> PackageInfo {
        // PackageInfo takes the description's first line as the summary and the rest as the long text.
        return PackageInfo(
            name: project.name, version: version, iteration: String(project.iteration), maintainer: project.maintainer,
            homepage: project.homepage, description: project.description,
            license: project.license, vendor: project.package.rpm.vendor, section: project.package.deb.section,
            priority: project.package.deb.priority, rpmGroup: project.package.rpm.group,
            runtimeDependencies: project.runtimeDependencies, conflicts: project.conflicts, replaces: project.replaces,
            provides: project.provides, configFiles: project.configFiles, user: project.package.user,
            group: project.package.group, installDir: project.installDir, sourceDateEpoch: Int64(sourceDateEpoch),
            scripts: try scripts(), versionManifest: versionManifest)
    }

    /// Writes every configured format into `outputDirectory`, each through a temporary name.
    package func write(to outputDirectory: String) throws(Failure) -> [BuiltPackage] {
        let manifestPath = project.installDir + "/version-manifest.json"
        guard let manifest = FileManager.default.contents(atPath: manifestPath) else {
            throw Failure(description: "\(manifestPath) is missing: the install dir is not a finished build; run 'omnibus build \(project.name)' first")
        }
        let info = try info(versionManifest: manifest)
        let contents: PackageContents
        do { contents = try PackageContents.scan(info: info, exclude: project.exclude) } catch {
            throw Failure(description: "\(error)")
        }
        var built: [BuiltPackage] = []
        for format in project.package.formats {
            do {
                switch format {
                case .deb:
                    built.append(try PackageWriter.write(DebPackager(compression: compression(project.package.deb.compression)),
                                                         contents: contents, info: info, outputDirectory: outputDirectory))
                case .rpm:
                    built.append(try PackageWriter.write(RPMPackager(compression: compression(project.package.rpm.compression)),
                                                         contents: contents, info: info, outputDirectory: outputDirectory))
                case .tar:
                    built.append(try PackageWriter.write(TarPackager(compression: compression(project.package.tar.compression)),
                                                         contents: contents, info: info, outputDirectory: outputDirectory))
                }
            } catch {
                throw Failure(description: "\(format.rawValue): \(error)")
            }
        }
        do {
            try manifest.write(to: URL(fileURLWithPath: outputDirectory + "/\(project.name)-\(version)-\(project.iteration).version-manifest.json"))
        } catch {
            throw Failure(description: "cannot write the version manifest into \(outputDirectory): \(error.localizedDescription)")
        }
        return built
    }

    private func compression(_ setting: PackageSettings.Compression) -> ArchiveCompression {
        ArchiveCompression(ArchiveCompression.Algorithm(rawValue: setting.rawValue) ?? .gzip)
    }
}
