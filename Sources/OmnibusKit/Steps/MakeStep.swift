import Definitions

/// `make: [args]` or `{args, parallel}`: `make args...` joining the build's jobserver, or
/// `make -j{{jobs}} args...` without one (`--no-jobserver`).
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
        var rendered: [String] = []
        for arg in args { rendered.append(try step.render(arg)) }
        guard parallel else { return try await step.run(["make"] + rendered) }
        guard step.hasJobserver else { return try await step.run(["make", "-j\(step.jobs)"] + rendered) }
        let counts = Self.jobCounts(in: rendered)
        // `-j1` only says "serially": kept, and the make runs on its one slot.
        if counts.serial { return try await step.run(["make"] + rendered) }
        if !counts.dropped.isEmpty {
            step.log("# \(counts.dropped.joined(separator: " ")) dropped: make takes its jobs from the build's jobserver")
        }
        try await step.runJoiningJobserver(["make"] + counts.kept)
    }

    /// A definition's own `-jN` (or `-j`) would make this make start a jobserver of its own beside
    /// the build's, with N more jobs than `--jobs`: such arguments are dropped.
    static func jobCounts(in arguments: [String]) -> (kept: [String], dropped: [String], serial: Bool) {
        var kept: [String] = []
        var dropped: [String] = []
        var serial = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var option = [argument]
            var count: String?
            if argument == "-j" || argument == "--jobs" {
                count = ""
                if index < arguments.count, Int(arguments[index]) != nil {
                    count = arguments[index]
                    option.append(arguments[index])
                    index += 1
                }
            } else if argument.hasPrefix("--jobs=") {
                count = String(argument.dropFirst(7))
            } else if argument.hasPrefix("-j"), Int(argument.dropFirst(2)) != nil {
                count = String(argument.dropFirst(2))
            }
            guard let count else { kept.append(argument); continue }
            if count == "1" { serial = true }
            dropped += option
        }
        return (kept, dropped, serial)
    }
}
