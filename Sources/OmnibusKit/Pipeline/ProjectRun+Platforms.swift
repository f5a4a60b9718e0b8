import Definitions
import Foundation
import Graph
import Spawning

extension ProjectRun {
    /// `omnibus build PROJECT [--platform NAME]...`: the host as it is (`host`, the default when
    /// neither `--platform` nor the project's `platforms:` names one), or each named platform in
    /// its clean root, one after the other.
    ///
    /// A platform build is a second run of this tool, started in a private mount namespace where
    /// the install dir is the platform's own directory (`<work>/platforms/<name>/install`)
    /// bound over it: every phase then works on the install dir path the packages name, while
    /// the host's install dir, and anything else under its parent, stays untouched.
    package func build(_ projectName: String, platforms requested: [String], reportFile: String? = nil) async throws(RunError) {
        if platformRoot != nil { return try await build(projectName, reportFile: reportFile) }
        let graph: BuildGraph
        do { graph = try workspace.resolve(projectName, flags: flags) } catch { throw .badInput(error.description) }
        var names: [String] = []
        for name in requested.isEmpty ? graph.project.platforms : requested where !names.contains(name) {
            if let problem = TargetPlatform.unknownNameProblem(name) { throw .badInput("--platform: \(problem)") }
            names.append(name)
        }
        if names.isEmpty || names == [TargetPlatform.hostName] { return try await build(projectName, reportFile: reportFile) }
        for name in names {
            if let platform = TargetPlatform.named(name) {
                // Each platform's own graph: its conditions decide what its root must hold.
                let platformGraph: BuildGraph
                do { platformGraph = try workspace.resolve(projectName, platform: name, flags: flags) } catch {
                    throw .badInput(error.description)
                }
                try await buildInRoot(platformGraph, platform: platform)
            } else {
                try await build(projectName, reportFile: reportFile)
            }
        }
    }

    /// The spec of a platform's root for this project: the base packages and what its software
    /// declares for the platform's family.
    package func rootSpec(_ graph: BuildGraph, platform: TargetPlatform) -> CleanRootSpec {
        CleanRootSpec(platform: platform, architecture: PlatformRoot.hostArchitecture,
                      extraPackages: CleanRootSpec.buildDependencies(of: graph, family: platform.family),
                      archiveURI: DebianArchive.configuredURI())
    }

    /// Where a platform's packages go: `<output>/<platform>/`, since a deb's name does not name
    /// the distribution and two platforms' packages would otherwise replace each other.
    package func outputDir(for platform: TargetPlatform) -> String { settings.outputDir + "/" + platform.name }

    private func buildInRoot(_ graph: BuildGraph, platform: TargetPlatform) async throws(RunError) {
        let reporter = self.reporter
        let store = RootStore(cacheDir: settings.cacheDir, workDir: settings.workDir + "/roots") { reporter.report(.note($0)) }
        let root: String
        do { root = try await store.extracted(rootSpec(graph, platform: platform)) } catch {
            if error == .cancelled { throw .cancelled(.build) }
            throw .failed(.build, error.description)
        }
        let platformDir = settings.workDir + "/platforms/" + platform.name
        let installDir = platformDir + "/install"
        do { try FileManager.default.createDirectory(atPath: installDir, withIntermediateDirectories: true) } catch {
            throw .failed(.build, "cannot create \(installDir): \(error.localizedDescription)")
        }
        guard let unshare = ChildProcess.which("unshare", in: RootStore.path) else {
            throw .failed(.build, "a platform build needs unshare (util-linux) to give it its own install dir")
        }
        let script = Self.namespaceScript(installDir: graph.project.installDir, platformDir: installDir,
                                          stash: platformDir + "/host-parent")
        let inner = [Self.executable] + Self.innerArguments(CommandLine.arguments.dropFirst(), root: PlatformRoot(platform: platform, directory: root),
                                                           workDir: platformDir + "/work", outputDir: outputDir(for: platform))
        reporter.report(.note("building \(graph.project.name) for \(platform.name) in its clean root \(root)"))
        // The inner run's output, line by line as notes, and its last lines for the failure
        // message: with --quiet the notes are not shown.
        let log: BuildLog
        do {
            log = try BuildLog(path: platformDir + "/platform.log", tailSize: 15) { line in
                reporter.report(.note("[\(platform.name)] \(line)"))
            }
        } catch {
            throw .failed(.build, "cannot write \(platformDir)/platform.log: \(error)")
        }
        let status: Int32
        do {
            status = try await ChildProcess([unshare, "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh"] + inner,
                                            environment: environment)
                .run { data in log.output(data) }
        } catch {
            if case .cancelled = error { throw .cancelled(.build) }
            throw .failed(.build, "cannot start the \(platform.name) build: \(error)")
        }
        switch status {
        case 0: return
        case 2: throw .badInput("the \(platform.name) build refused its input:\n\(log.lastLines.joined(separator: "\n"))")
        case 130: throw .cancelled(.build)
        default: throw .failed(.build, "the \(platform.name) build failed (exit \(status)); its last lines (all of them in \(log.path)):\n\(log.lastLines.joined(separator: "\n"))")
        }
    }

    /// This process's arguments without `--platform`, plus where the inner run builds.
    static func innerArguments(_ arguments: ArraySlice<String>, root: PlatformRoot, workDir: String, outputDir: String) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--platform" { skipNext = true; continue }
            if argument.hasPrefix("--platform=") { continue }
            kept.append(argument)
        }
        // Options given twice take the last value, so these win over the caller's.
        return kept + ["--inside-root", root.argument, "--work-dir", workDir, "--output-dir", outputDir]
    }

    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Shell run in the new mount namespace before the inner run: the platform's directory is
    /// bound over the install dir. When the install dir does not exist on the host, its nearest
    /// existing parent is covered with a tmpfs holding the parent's own entries bound back in
    /// (so `/opt/swift` stays reachable) and the install dir made there: nothing is created on
    /// the host.
    static func namespaceScript(installDir: String, platformDir: String, stash: String) -> String {
        """
        set -e
        i=\(ChildProcess.shellQuoted([installDir])); p=\(ChildProcess.shellQuoted([platformDir])); s=\(ChildProcess.shellQuoted([stash]))
        if [ ! -d "$i" ]; then
          a="$i"; while [ ! -d "$a" ]; do a=$(dirname "$a"); done
          [ "$a" != / ] || { echo "omnibus: the install dir $i has no parent but / on this machine" >&2; exit 1; }
          mkdir -p "$s"; mount --rbind "$a" "$s"
          mount -t tmpfs -o mode=0755 omnibus-platform "$a"
          for e in "$s"/* "$s"/.[!.]*; do
            [ -e "$e" ] || [ -L "$e" ] || continue
            n=${e##*/}
            if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$a/$n"
            elif [ -d "$e" ]; then mkdir "$a/$n"; mount --rbind "$e" "$a/$n"
            else : > "$a/$n"; mount --bind "$e" "$a/$n"; fi
          done
          mkdir -p "$i"
        fi
        mount --bind "$p" "$i"
        exec "$@"
        """
    }

    /// On the host, the build dependencies of the host's family must be installed already, and
    /// the commands the steps imply must be on their build PATH: one message names all that are
    /// missing, before anything builds.
    func checkHostBuildDependencies(_ graph: BuildGraph) async throws(RunError) {
        // Declared packages must be installed; for a step's tool, the command on the build PATH
        // is enough, whichever package brought it (a Node from NodeSource serves as well as
        // Debian's npm), and its packages are asked for only when it is missing.
        let names = Array(Set(graph.order.flatMap { $0.software.buildDependencies["debian"] ?? [] })).sorted()
        var absentCommands: [String] = []
        var packagesOfAbsent: [String] = []
        for node in graph.order {
            for tool in node.toolsMissingOnPath(in: graph) {
                absentCommands.append("\(tool.command) (\(node.name))")
                packagesOfAbsent += tool.packages["debian"] ?? []
            }
        }
        do { try await HostBuildDependencies.check(names, absentCommands: absentCommands, packagesOfAbsent: packagesOfAbsent) } catch {
            throw .badInput(error.description)
        }
    }
}
