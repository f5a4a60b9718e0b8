import Definitions
import Foundation
import Packaging
import Spawning

/// `omnibus matrix PROJECT`: built-on × installed-on. Each platform's deb (from
/// `<output>/<platform>/`) is installed with `dpkg -i` into a fresh bare root of every
/// configured platform (so dpkg judges its Depends against that release), and the project's
/// `smoke_test` runs there.
package struct PortabilityMatrix: Sendable {
    package struct Cell: Sendable, Equatable {
        package let builtOn: String
        package let installedOn: String
        /// The package file tried, or nil when the platform has no package in the output dir.
        package let package: String?
        package let installed: Bool
        /// nil when it did not run (nothing installed, or no `smoke_test`).
        package let smokePassed: Bool?
        /// dpkg's refusal (the unmet dependency lines), or the smoke test's failure.
        package let reason: String
        /// The glibc floor the package's metadata declares, `-` when it declares none.
        package let glibcFloor: String
        /// What the smoke test printed (its last 40 lines), for `--format json`.
        package var smokeOutput: String = ""

        package var passed: Bool { installed && smokePassed != false }
    }

    package let cells: [Cell]

    /// Fixed-width text: one line per cell, the verdict first.
    package var table: String {
        let header = ["built on", "installed on", "result", "glibc floor", "reason"]
        let rows = cells.map { cell -> [String] in
            let result = cell.package == nil ? "no package" : !cell.installed ? "refused" : cell.smokePassed == false ? "smoke failed"
                : cell.smokePassed == true ? "pass" : "installed"
            return [cell.builtOn, cell.installedOn, result, cell.glibcFloor, cell.reason]
        }
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    package var json: String {
        let objects: [JSONValue] = cells.map { cell in
            .object(["built_on": .string(cell.builtOn), "installed_on": .string(cell.installedOn),
                     "package": cell.package.map { .string(($0 as NSString).lastPathComponent) } ?? .null,
                     "installed": .bool(cell.installed), "smoke_test": cell.smokePassed.map { .bool($0) } ?? .null,
                     "passed": .bool(cell.passed), "reason": .string(cell.reason), "glibc_floor": .string(cell.glibcFloor),
                     "smoke_output": .string(cell.smokeOutput)])
        }
        return String(decoding: JSONValue.object(["matrix": .array(objects)]).encoded(), as: UTF8.self)
    }
}

extension ProjectRun {
    /// Fills the matrix: a row for each place packages were built (`builtOn`, default the
    /// platforms; `host` is the output dir of a plain `omnibus build`), a column for each
    /// platform to install into (`platforms`, default the project's `platforms:`).
    package func matrix(_ projectName: String, platforms requested: [String], builtOn requestedRows: [String] = []) async throws(RunError) -> PortabilityMatrix {
        let project: Project
        do { project = try workspace.loadProject(projectName) } catch { throw .badInput(error.description) }
        var platforms: [TargetPlatform] = []
        for name in requested.isEmpty ? project.platforms : requested {
            guard let platform = TargetPlatform.named(name) else {
                throw .badInput("matrix: \(TargetPlatform.unknownNameProblem(name) ?? "'\(name)' is the host, which has no clean root to install into; to try the host's own packages, give --built-on host")")
            }
            if !platforms.contains(platform) { platforms.append(platform) }
        }
        guard !platforms.isEmpty else {
            throw .badInput("matrix: \(project.name) names no platforms; add 'platforms: [debian-12, debian-13]' to \(project.file) or give --platform")
        }
        // `host` is where a plain `omnibus build` (a build VM, a workstation) left packages:
        // the output dir itself. It is a row only, never a clean root to install into.
        var builders: [(name: String, outputDir: String, rebuild: String)] = []
        for name in requestedRows.isEmpty ? platforms.map(\.name) : requestedRows where !builders.contains(where: { $0.name == name }) {
            if name == TargetPlatform.hostName {
                builders.append((name, settings.outputDir, "omnibus build \(project.name)"))
            } else if let platform = TargetPlatform.named(name) {
                builders.append((name, outputDir(for: platform), "omnibus build \(project.name) --platform \(name)"))
            } else {
                throw .badInput("matrix: --built-on: \(TargetPlatform.unknownNameProblem(name) ?? "unknown platform '\(name)'")")
            }
        }
        // The packages of the project as it is now: an output dir may also hold older versions.
        let version = try await version(of: project)
        let wanted = (name: project.name, version: version, iteration: String(project.iteration))
        let reporter = self.reporter
        let store = RootStore(cacheDir: settings.cacheDir, workDir: settings.workDir + "/matrix") { reporter.report(.note($0)) }
        var cells: [PortabilityMatrix.Cell] = []
        for built in builders {
            let found = debPackage(of: wanted, in: built.outputDir)
            for target in platforms {
                guard let (deb, metadata) = found else {
                    cells.append(.init(builtOn: built.name, installedOn: target.name, package: nil, installed: false, smokePassed: nil,
                                       reason: "no deb of \(project.name) \(version)-\(project.iteration) in \(built.outputDir); run \(built.rebuild)",
                                       glibcFloor: "-"))
                    continue
                }
                if Task.isCancelled { throw .cancelled(.package) }
                let spec = CleanRootSpec(platform: target, architecture: PlatformRoot.hostArchitecture, extraPackages: [],
                                         archiveURI: DebianArchive.configuredURI(), base: [])
                let root: String
                do { root = try await store.extracted(spec, name: "\(built.name)-on-\(target.name)", fresh: true) } catch {
                    if error == .cancelled { throw .cancelled(.package) }
                    throw .failed(.package, error.description)
                }
                defer { try? FileManager.default.removeItem(atPath: root) }
                cells.append(await installAndSmoke(deb: deb, root: root, smokeTest: project.smokeTest, builtOn: built.name,
                                                   installedOn: target.name, glibcFloor: Self.glibcFloor(metadata)))
            }
        }
        return PortabilityMatrix(cells: cells)
    }

    private func installAndSmoke(deb: String, root: String, smokeTest: String?, builtOn: String, installedOn: String,
                                 glibcFloor: String) async -> PortabilityMatrix.Cell {
        let packageDir = (deb as NSString).deletingLastPathComponent
        let inRoot = "/omnibus/pkg"
        try? FileManager.default.createDirectory(atPath: root + inRoot, withIntermediateDirectories: true)
        let sandbox = RootSandbox(root: root, binds: [.init(packageDir, at: inRoot)], network: false, writableRoot: true)
        let environment = ["PATH": HostIdentity.toolPath, "LC_ALL": "C", "HOME": "/root", "DEBIAN_FRONTEND": "noninteractive"]
        func run(_ arguments: [String]) async -> (status: Int32, output: String) {
            guard let wrapped = try? sandbox.wrap(arguments, directory: "/") else { return (127, "no bwrap or unshare to enter the root") }
            return (try? await ChildProcess(wrapped, environment: environment).capture()) ?? (127, "cannot start \(wrapped[0])")
        }
        let install = await run(["dpkg", "-i", inRoot + "/" + (deb as NSString).lastPathComponent])
        guard install.status == 0 else {
            // dpkg names each unmet relation on a line of its own: "pkg depends on libc6 (>= 2.38); however:".
            let unmet = install.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.contains(" depends on ") || $0.contains(" pre-depends on ") || $0.contains("conflicts with") }
            let reason = unmet.isEmpty ? String(install.output.split(separator: "\n").suffix(3).joined(separator: " ")) : unmet.joined(separator: " ")
            return .init(builtOn: builtOn, installedOn: installedOn, package: deb, installed: false, smokePassed: nil,
                         reason: "dpkg refused: " + reason, glibcFloor: glibcFloor)
        }
        guard let smokeTest else {
            return .init(builtOn: builtOn, installedOn: installedOn, package: deb, installed: true, smokePassed: nil,
                         reason: "no smoke_test in the project", glibcFloor: glibcFloor)
        }
        let smoke = await run(["/bin/sh", "-c", smokeTest])
        var output = Substring(smoke.output)
        while output.hasSuffix("\n") { output = output.dropLast() }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let last = smoke.output.split(separator: "\n").last.map(String.init) ?? ""
        var cell = PortabilityMatrix.Cell(builtOn: builtOn, installedOn: installedOn, package: deb, installed: true, smokePassed: smoke.status == 0,
                                          reason: smoke.status == 0 ? "" : "smoke test exited \(smoke.status): \(last)", glibcFloor: glibcFloor)
        cell.smokeOutput = lines.suffix(40).joined(separator: "\n")
        return cell
    }

    /// The project's deb of this version and iteration in `directory` and its metadata, by the
    /// metadata (not the file name).
    private func debPackage(of wanted: (name: String, version: String, iteration: String), in directory: String) -> (String, [String: Any])? {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for file in files where file.hasSuffix(".deb.metadata.json") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  object["name"] as? String == wanted.name, object["version"] as? String == wanted.version,
                  object["iteration"] as? String == wanted.iteration else { continue }
            let deb = directory + "/" + String(file.dropLast(".metadata.json".count))
            if FileManager.default.fileExists(atPath: deb) { return (deb, object) }
        }
        return nil
    }

    /// The glibc floor the health check wrote into the metadata (`base_system.glibc`); a
    /// package with no dynamically linked file has none.
    static func glibcFloor(_ metadata: [String: Any]) -> String {
        if let floors = metadata["base_system"] as? [String: Any], let glibc = floors["glibc"] as? String, !glibc.isEmpty {
            return glibc
        }
        return "-"
    }
}
