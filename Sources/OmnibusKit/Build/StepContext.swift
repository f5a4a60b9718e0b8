import Definitions
import Foundation
import Spawning

/// How the steps of one software run: `StepExecution` over this build's directories, variables
/// and environment. Commands go through the process layer with output into the log; every path
/// a step writes is checked to stay inside the source directory, the staging root or the
/// install dir (which is redirected into the staging root).
struct StepContext: StepExecution {
    let software: String
    let installDir: String
    let definitionDir: String
    /// The unpacked source's top directory; commands run here and relative paths start here.
    let buildDir: String
    /// The staging root (DESTDIR), or nil for a live install.
    let destdir: String?
    /// The software's environment, with the running step's `env:` over it.
    var environment: BuildEnvironment
    let variables: [String: String]
    let jobs: Int
    /// The build's one jobserver; nil with `--no-jobserver`.
    let jobserver: Jobserver?
    let buildLog: BuildLog
    /// The clean root commands run in (`--platform`); nil runs them on the host as it is.
    var sandbox: RootSandbox? = nil
    /// The software's `network: true`.
    var network = false

    var hasJobserver: Bool { jobserver != nil }

    var embeddedDir: String { installDir + "/embedded" }

    func render(_ text: String) throws(StepFailure) -> String {
        do {
            return try Interpolation.render(text, values: variables)
        } catch {
            throw .invalid("cannot expand '\(text)': \(error)")
        }
    }

    func log(_ line: String) { buildLog.note(line) }

    func run(_ arguments: [String]) async throws(StepFailure) {
        try await run(arguments, joiningJobserver: false)
    }

    func runJoiningJobserver(_ arguments: [String]) async throws(StepFailure) {
        try await run(arguments, joiningJobserver: jobserver != nil)
    }

    /// Every command holds one jobserver slot while it runs (a configure or a compiler run by
    /// `run:` is a job too); a joining one also gets the FIFO, to take more.
    private func run(_ arguments: [String], joiningJobserver: Bool) async throws(StepFailure) {
        let command = ChildProcess.shellQuoted(arguments)
        // The one place a step's command enters the clean root; everything else is unchanged.
        let argv: [String]
        do { argv = try sandbox?.wrap(arguments, directory: buildDir) ?? arguments } catch { throw .invalid(error.description) }
        var process = ChildProcess(argv, environment: environment.variables, directory: buildDir)
        if joiningJobserver, let jobserver {
            let own = process.environment["MAKEFLAGS"].map { $0 + " " } ?? ""
            process.environment["MAKEFLAGS"] = own + Jobserver.makeflags
            process.inheritedDescriptors = jobserver.childDescriptors
        }
        let slot: Jobserver.Slot?
        do { slot = try await jobserver?.acquire() } catch { throw .cancelled }
        defer { if let slot { jobserver?.release(slot) } }
        buildLog.note("$ \(command)")
        let status: Int32
        do {
            status = try await process.run { [buildLog] data in buildLog.output(data) }
        } catch {
            switch error {
            case .cancelled: throw .cancelled
            case .notFound(let name): throw .commandFailed(command: "\(command) (\(name): not found on the build PATH)", status: 127)
            case .cannotStart: throw .invalid(error.description)
            }
        }
        guard status == 0 else { throw .commandFailed(command: command, status: status) }
    }

    func writablePath(_ text: String) throws(StepFailure) -> String {
        let path = try render(text)
        let clean = Self.normalized(path.hasPrefix("/") ? path : buildDir + "/" + path)
        // Compared with the directories as normalized too: a work dir given as `/tmp/w/` makes
        // a build dir with `//` in it, which no normalized path starts with.
        if let destdir, Self.isInside(clean, Self.normalized(destdir)) { return clean }
        if Self.isInside(clean, Self.normalized(buildDir)) { return clean }
        if Self.isInside(clean, Self.normalized(installDir)) { return (destdir.map(Self.normalized) ?? "") + clean }
        throw .invalid("'\(path)' resolves to \(clean), outside the source directory, the staging root and the install dir \(installDir); steps only write there")
    }

    func readablePath(_ text: String) throws(StepFailure) -> String {
        let path = try render(text)
        // An absolute path may name a host file on purpose; a relative one must stay in the build.
        guard !path.hasPrefix("/") else { return Self.normalized(path) }
        let clean = Self.normalized(buildDir + "/" + path)
        if Self.isInside(clean, Self.normalized(buildDir)) || destdir.map({ Self.isInside(clean, Self.normalized($0)) }) == true { return clean }
        throw .invalid("'\(path)' resolves to \(clean), outside the source directory; write a host path as an absolute path")
    }

    func definitionFile(_ text: String) throws(StepFailure) -> String {
        let rendered = try render(text)
        return rendered.hasPrefix("/") ? rendered : definitionDir + "/" + rendered
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        path == dir || path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    /// `.` and `..` resolved lexically; `..` at the root stays at the root.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}
