import Definitions

/// `make: [args]` or `{args, parallel}`: `make -j{{jobs}} args...`.
struct MakeStep: StepKind {
    static let name = "make"
    let args: [String]
    /// `false` drops the `-j`, for Makefiles that break in parallel.
    let parallel: Bool

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> MakeStep? {
        if case .mapping = body {
            guard let map = decoding.fields(body, allowed: ["args", "parallel"]) else { return nil }
            return MakeStep(args: decoding.list(map.value("args"), name: "make.args"),
                            parallel: decoding.bool(map, "parallel") ?? true)
        }
        return MakeStep(args: decoding.list(body, name: "make"), parallel: true)
    }

    var summary: String { args.isEmpty ? "make" : "make " + args.joined(separator: " ") }
    var keyText: String { "make(args: \(args), parallel: \(parallel))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        var argv = ["make"]
        if parallel { argv.append("-j\(step.jobs)") }
        for arg in args { argv.append(try step.render(arg)) }
        try await step.run(argv)
    }
}
