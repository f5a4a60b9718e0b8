import Definitions
import Foundation

/// `cargo: {bins, into, vendor, features, args}`: `cargo build --release --locked --offline` and
/// the named binaries installed into `into` (`{{embedded}}/bin`). Crates come from the source's
/// `vendor` directory (what `cargo vendor` writes), put in place of crates.io by a config in a
/// Cargo home of the build's own, so neither the user's `~/.cargo` nor the network is used; the
/// build directory is remapped to `.` in the binaries so two work dirs give the same bytes.
struct CargoStep: StepKind {
    static let name = "cargo"
    /// On the host, the command on the build PATH is enough, whichever package brought it.
    var hostTools: [HostTool] { [HostTool(command: "cargo", package: "cargo")] }
    let bins: [String]
    let into: String
    /// Relative to the source: the vendored crates.
    let vendor: String
    let features: [String]
    let args: [String]

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> CargoStep? {
        guard let map = decoding.fields(body, allowed: ["bins", "into", "vendor", "features", "args"]) else { return nil }
        let bins = decoding.list(map.value("bins"), name: "cargo.bins")
        if bins.isEmpty {
            decoding.error("step 'cargo' needs 'bins: [name]': the binaries to install", at: map.location)
            return nil
        }
        return CargoStep(bins: bins, into: decoding.field(map, "into", required: false) ?? "{{embedded}}/bin",
                         vendor: decoding.field(map, "vendor", required: false) ?? "vendor",
                         features: decoding.list(map.value("features"), name: "cargo.features"),
                         args: decoding.list(map.value("args"), name: "cargo.args"))
    }

    var summary: String { "cargo build " + bins.joined(separator: " ") }
    var keyText: String {
        "cargo(bins: \(bins), into: \(Self.quoted(into)), vendor: \(Self.quoted(vendor)), features: \(features), args: \(args))"
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try ToolRun.lockedSource("Cargo.lock", tool: "cargo", unpinned: "the crates it builds with are",
                                              howTo: "run 'cargo generate-lockfile' (and 'cargo vendor') in the source and keep both with it", step)
        let own = try ToolRun.privateDirectory("cargo", step)
        let home = own + "/home"
        let target = own + "/target"
        let vendored = try step.writablePath(try step.render(vendor))
        var config = "[net]\noffline = \(!step.network)\n"
        if ToolRun.isDirectory(vendored) {
            config += """
                [source.crates-io]
                replace-with = "omnibus-vendored"

                [source.omnibus-vendored]
                directory = \(Self.quoted(vendored))

                """
        }
        try FileStep.operation("write \(home)/config.toml", step) {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try Data(config.utf8).write(to: URL(fileURLWithPath: home + "/config.toml"))
        }
        let environment = [
            "CARGO_HOME": home, "CARGO_TARGET_DIR": target, "CARGO_INCREMENTAL": "0",
            "CARGO_BUILD_JOBS": String(step.jobs),
            // Panic messages and debug info name source files; the vendored crates and the Cargo
            // home are inside the source, so one prefix covers them all.
            "RUSTFLAGS": "--remap-path-prefix=\(source)=.",
        ]
        var argv = ["cargo", "build", "--release", "--locked"] + (step.network ? [] : ["--offline"])
        for bin in bins { argv += ["--bin", try step.render(bin)] }
        if !features.isEmpty { argv += ["--features", try features.map { f throws(StepFailure) in try step.render(f) }.joined(separator: ",")] }
        for arg in args { argv.append(try step.render(arg)) }
        try await step.run(ToolRun.command(argv, environment: environment))

        let destination = try step.writablePath(into)
        try ToolRun.makeDirectory(destination, step)
        for bin in bins {
            let name = try step.render(bin)
            let built = target + "/release/" + name
            // Through writablePath like every step's target: a binary name cannot leave the install dir.
            let installed = try step.writablePath(into + "/" + name)
            step.log("$ install -m 755 \(built) \(installed)")
            try FileStep.operation("install \(built) as \(installed)", step) {
                if FileStep.exists(installed) { try FileManager.default.removeItem(atPath: installed) }
                try FileManager.default.copyItem(atPath: built, toPath: installed)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: installed)
            }
        }
        try LanguagePackage.record(CargoPackages.read(source + "/Cargo.lock"), in: step)
    }
}
