import Definitions
import Foundation

/// `gem: {gems, install_dir, bindir, build_args, gem}`: pinned `.gem` files kept in the source
/// installed with `gem install --local --no-document` into the embedded Ruby's gem directory,
/// commands into `bindir` (`{{embedded}}/bin`), nothing fetched. The `gem` command is the one
/// on the build PATH, where the embedded Ruby's `bin` comes first: a project that builds Ruby
/// installs into that Ruby, and its gem directory is asked from it (`Gem.default_dir`) unless
/// `install_dir` names one. Native extensions compile with the compiler Ruby records (`gcc`,
/// found on PATH as the compiler wrapper) against the embedded libraries (`--with-opt-dir`).
struct GemStep: StepKind {
    static let name = "gem"
    /// On the host, the command on the build PATH is enough, whichever package brought it; a
    /// software that depends, directly or not, on `ruby` runs that Ruby's gem.
    var hostTools: [HostTool] { [HostTool(command: "gem", package: "ruby", providedBy: ["ruby"])] }
    /// `.gem` files relative to the source, dependencies before the gems that need them.
    let gems: [String]
    let installDir: String?
    let bindir: String
    let buildArgs: [String]
    let command: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> GemStep? {
        guard let map = decoding.fields(body, allowed: ["gems", "install_dir", "bindir", "build_args", "gem"]) else { return nil }
        let gems = decoding.list(map.value("gems"), name: "gem.gems")
        if gems.isEmpty {
            decoding.error("step 'gem' needs 'gems: [file.gem]': the pinned gem files in the source, dependencies first",
                           at: map.location)
            return nil
        }
        let buildArgs = map.has("build_args") ? decoding.list(map.value("build_args"), name: "gem.build_args")
            : ["--with-opt-dir={{embedded}}"]
        return GemStep(gems: gems, installDir: decoding.field(map, "install_dir", required: false),
                       bindir: decoding.field(map, "bindir", required: false) ?? "{{embedded}}/bin",
                       buildArgs: buildArgs, command: decoding.field(map, "gem", required: false) ?? "gem")
    }

    var summary: String { "gem install " + gems.map { ($0 as NSString).lastPathComponent }.joined(separator: " ") }
    var keyText: String {
        "gem(gems: \(gems), install_dir: \(installDir.map(Self.quoted) ?? "default"), bindir: \(Self.quoted(bindir)), build_args: \(buildArgs), gem: \(Self.quoted(command)))"
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        var files: [String] = []
        for gem in gems {
            let path = try step.readablePath(gem)
            guard FileManager.default.fileExists(atPath: path) else {
                throw .invalid("gem: \(gem) is not in the source; keep the pinned .gem files with it (e.g. vendor/cache)")
            }
            files.append(path)
        }
        let bin = try step.writablePath(bindir)
        try ToolRun.makeDirectory(bin, step)
        let own = try ToolRun.privateDirectory("gem", step)
        var tail = ["--local", "--no-document", "--no-user-install", "--bindir", bin] + files
        if !buildArgs.isEmpty {
            tail.append("--")
            for arg in buildArgs { tail.append(try step.render(arg)) }
        }
        // Without the host's ~/.gemrc or /etc/gemrc (a source list, --user-install).
        let gemrc = own + "/gemrc"
        try FileStep.operation("write \(gemrc)", step) { try Data("---\n".utf8).write(to: URL(fileURLWithPath: gemrc)) }
        let gemCommand = try step.render(command)
        if let installDir {
            let directory = try step.writablePath(installDir)
            let environment = ["GEM_HOME": directory, "GEM_PATH": directory + ":" + (try step.render(installDir)), "GEMRC": gemrc]
            try await step.run(ToolRun.command([gemCommand, "install", "--config-file", gemrc, "--install-dir", directory] + tail,
                                               environment: environment))
            return try LanguagePackage.record(GemPackages.read(files), in: step)
        }
        // The gem directory is the Ruby's own; the shell asks it, then stages the install like
        // every other write under the install dir ($DESTDIR is empty for a live install).
        let script = """
            g=$1; shift
            d=$("$g" environment gemdir) || exit 1
            case "$d" in
              "$OMNIBUS_INSTALL_DIR"/*) ;;
              *) echo "gem: $g installs into $d, outside the install dir $OMNIBUS_INSTALL_DIR: build the embedded Ruby first (a dependency), or name the directory with 'install_dir:'" >&2; exit 1 ;;
            esac
            GEM_HOME="$DESTDIR$d" GEM_PATH="$DESTDIR$d:$d" exec "$g" install --config-file "$GEMRC" --install-dir "$DESTDIR$d" "$@"
            """
        try await step.run(ToolRun.command(["/bin/sh", "-c", script, "gem", gemCommand] + tail, environment: ["GEMRC": gemrc]))
        try LanguagePackage.record(GemPackages.read(files), in: step)
    }
}
