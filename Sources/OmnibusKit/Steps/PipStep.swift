import Definitions
import Foundation

/// `pip:` (or `pip: {python, find_links}`): installs every distribution in the find-links
/// directory (by default the source directory, where a `pypi:` source lays its pinned files) into
/// the embedded Python, never reaching an index, then does what pip leaves undone for a package:
/// byte-compiles under the installed path, points console scripts at the embedded interpreter,
/// and records each distribution's version, licence and checksum for the manifest.
struct PipStep: StepKind {
    static let name = "pip"
    /// The interpreter to install into; default `{{embedded}}/bin/python3`.
    let python: String?
    /// The directory holding the wheels and sdists; default the source directory.
    let findLinks: String?

    static let defaultPython = "{{embedded}}/bin/python3"
    var collectsLicenseTexts: Bool { true }

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> PipStep? {
        if body.isNull { return PipStep(python: nil, findLinks: nil) }
        guard let map = decoding.fields(body, allowed: ["python", "find_links"]) else { return nil }
        return PipStep(python: decoding.field(map, "python", required: false),
                       findLinks: decoding.field(map, "find_links", required: false))
    }

    var summary: String { "pip install into \(python ?? Self.defaultPython)" }
    var keyText: String {
        "pip(python: \(python.map(Self.quoted) ?? "nil"), findLinks: \(findLinks.map(Self.quoted) ?? "nil"), layout: 2)"
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let interpreter = try step.render(python ?? Self.defaultPython)
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw .invalid("the Python interpreter \(interpreter) does not exist: list the software that builds the embedded Python in 'dependencies', or name another with 'pip: { python: PATH }'")
        }
        let links = try step.readablePath(findLinks ?? ".")
        let destdir = try step.render("{{destdir}}")
        let root = try step.writablePath(step.installDir)
        let requirements = try PipRequirements(directory: links)
        let requirementsPath = try step.writablePath(".omnibus-pip-requirements.txt")
        let logPath = try step.writablePath(".omnibus-pip.log")
        try write(requirements.text, to: requirementsPath)
        try? FileManager.default.removeItem(atPath: logPath)
        let before = Set(PipInstallation.distInfoDirectories(in: root))

        let pip = try await Self.installer(interpreter: interpreter, requirements: requirements, links: links, step: step)
        var install = Self.isolated + pip + ["install", "--no-index", "--find-links", links,
                                       "--require-hashes", "--ignore-installed", "--no-compile", "--no-warn-script-location",
                                       "--progress-bar", "off", "--log", logPath, "-r", requirementsPath]
        if !destdir.isEmpty { install += ["--root", destdir] }
        do { try await step.run(install) } catch {
            guard case .commandFailed = error,
                  let log = try? String(contentsOfFile: logPath, encoding: .utf8),
                  let unpinned = PipFailure.unpinned(inLog: log) else { throw error }
            throw .invalid(Self.unpinnedMessage(unpinned, software: step.software))
        }

        let installed = PipInstallation.distInfoDirectories(in: root).filter { !before.contains($0) }
        var installation = PipInstallation(root: root, installDir: step.installDir, interpreter: interpreter,
                                           software: step.software, requirements: requirements)
        let compileList = try step.writablePath(".omnibus-pip-compile.txt")
        let sources = try installation.load(installed)
        try write(sources.map { $0 + "\n" }.joined(), to: compileList)
        if !sources.isEmpty {
            // The path recorded in each .pyc is the installed one (the staging prefix stripped),
            // and a hash of the source replaces its timestamp: the bytes do not depend on where
            // or when the build ran.
            var compile = Self.isolated + [interpreter, "-m", "compileall", "-q", "-f", "--invalidation-mode", "checked-hash"]
            if !destdir.isEmpty { compile += ["-s", destdir, "-p", "/"] }
            try await step.run(compile + ["-i", compileList])
        }
        for line in try installation.finish() { step.log("# pip: " + line) }
    }

    /// How pip runs. A pinned pip wheel runs from the wheel itself (pip is importable from a zip
    /// file), so the `python` software needs no ensurepip, whose `make install` would byte-compile
    /// under the staging path, and installing pip into the embedded Python is a step like any
    /// other. Otherwise the interpreter's own pip runs, and a Python without one is named.
    static func installer(interpreter: String, requirements: PipRequirements, links: String,
                          step: any StepExecution) async throws(StepFailure) -> [String] {
        if let wheel = requirements.entries.first(where: { $0.file.normalizedName == "pip" && $0.file.fileName.hasSuffix(".whl") }) {
            step.log("# pip: runs from the pinned \(wheel.file.fileName)")
            return [interpreter, links + "/" + wheel.file.fileName + "/pip"]
        }
        do { try await step.run(isolated + [interpreter, "-c", "import pip"]) } catch {
            guard case .commandFailed = error else { throw error }
            throw .invalid("\(interpreter) cannot import pip (its log says why), so \(step.software)'s pip step cannot run: add "
                + "'pip' to the 'dependencies' of \(step.software) (the library's Software/pip.yml installs pip into the "
                + "embedded Python), or pin a pip wheel in its 'pypi:' source (the step then runs pip from that wheel and "
                + "installs it too); see docs/definitions.md, the pip step")
        }
        return [interpreter, "-m", "pip"]
    }

    /// pip and the interpreter see nothing of the host's configuration, the user's site
    /// directory or an index, and write no bytecode of their own into the embedded Python.
    static let isolated = ["/usr/bin/env", "PIP_CONFIG_FILE=/dev/null", "PIP_NO_INDEX=1", "PYTHONNOUSERSITE=1",
                           "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1", "PIP_NO_INPUT=1",
                           "PYTHONDONTWRITEBYTECODE=1"]

    static func unpinnedMessage(_ unpinned: PipFailure.Unpinned, software: String) -> String {
        let needed = unpinned.neededBy.map { ", which \($0) needs" } ?? ""
        return "pip needs the distribution '\(unpinned.name)' ('\(unpinned.requirement)'\(needed)), but \(software) does not pin it. "
            + "A pip step never reaches a package index, so every distribution it installs, dependencies included, must be "
            + "listed in the 'pypi:' source of \(software): add "
            + "'- { name: \(unpinned.name), version: \"VERSION\", sha256: SHA256 }' with a version that satisfies "
            + "'\(unpinned.requirement)' and the sha256 of its wheel (https://pypi.org/project/\(unpinned.name)/#files lists both)"
    }

    private func write(_ text: String, to path: String) throws(StepFailure) {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
