import Definitions

/// `configure: [args]` or `{script, args, prefix}`: `./configure --prefix={{embedded}} args...`.
struct ConfigureStep: StepKind {
    static let name = "configure"
    let script: String
    let args: [String]
    /// Adds `--prefix=<embedded>`.
    let prefix: Bool

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> ConfigureStep? {
        if case .mapping = body {
            guard let map = decoding.fields(body, allowed: ["script", "args", "prefix"]) else { return nil }
            return ConfigureStep(script: decoding.field(map, "script", required: false) ?? "./configure",
                                 args: decoding.list(map.value("args"), name: "configure.args"),
                                 prefix: decoding.bool(map, "prefix") ?? true)
        }
        return ConfigureStep(script: "./configure", args: decoding.list(body, name: "configure"), prefix: true)
    }

    var summary: String { "configure (\(script))" }
    var keyText: String { "configure(script: \(Self.quoted(script)), args: \(args), prefix: \(prefix))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        var argv = [try step.render(script)]
        if prefix { argv.append("--prefix=\(step.embeddedDir)") }
        for arg in args { argv.append(try step.render(arg)) }
        try await step.run(argv)
    }
}
