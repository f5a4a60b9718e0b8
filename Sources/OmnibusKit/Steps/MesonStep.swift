import Definitions

/// `meson: [OPTIONS]` or `{options, source_dir, build_dir}`: `meson setup`, `meson compile` and
/// `meson install` of a Meson project into the embedded dir, as a packager would.
struct MesonStep: StepKind {
    static let name = "meson"
    let options: [String]
    let sourceDir: String
    /// Inside the source directory, so the compiler wrappers' `-ffile-prefix-map` covers it.
    let buildDir: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> MesonStep? {
        guard case .mapping = body else {
            return MesonStep(options: decoding.list(body, name: "meson"), sourceDir: ".", buildDir: "omnibus-meson-build")
        }
        guard let map = decoding.fields(body, allowed: ["options", "source_dir", "build_dir"]) else { return nil }
        return MesonStep(options: decoding.list(map.value("options"), name: "meson.options"),
                         sourceDir: decoding.field(map, "source_dir", required: false) ?? ".",
                         buildDir: decoding.field(map, "build_dir", required: false) ?? "omnibus-meson-build")
    }

    var summary: String { options.isEmpty ? "meson" : "meson " + options.joined(separator: " ") }
    var keyText: String {
        "meson(options: \(options), source_dir: \(Self.quoted(sourceDir)), build_dir: \(Self.quoted(buildDir)))"
    }

    var hostTools: [HostTool] {
        [HostTool(command: "meson", package: "meson"), HostTool(command: "ninja", package: "ninja-build")]
    }

    /// What every Meson build gets before the definition's own options (which come after and win).
    static func standardOptions(embedded: String) -> [String] {
        [
            "--prefix=\(embedded)",
            // Meson would pick lib/<triplet> on Debian and lib64 on rpm systems.
            "--libdir=lib",
            "--buildtype=release",
            "-Db_pie=true",
            // Subprojects come from the source as pinned, never downloaded during the build.
            "--wrap-mode=nodownload",
            "-Dcmake_prefix_path=\(embedded)",
        ]
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try step.readablePath(sourceDir)
        let build = try step.writablePath(buildDir)
        // LDFLAGS from the pinned environment (meson reads it at setup into the link arguments)
        // carries -Wl,-rpath,<embedded>/lib; meson drops only the build-tree RUNPATH entries it
        // added itself when it installs, so the installed files keep that one.
        var setup = ["meson", "setup", build, source] + Self.standardOptions(embedded: step.embeddedDir)
        for option in options { setup.append(try step.render(option)) }
        try await step.run(setup)
        // ninja (1.11 in Debian 12, 1.12 in Debian 13) cannot join a jobserver: it gets a count.
        try await step.run(["meson", "compile", "-C", build, "-j", String(step.jobs)])
        // DESTDIR (the staging root) comes from the environment.
        try await step.run(["meson", "install", "-C", build, "--no-rebuild"])
    }
}
