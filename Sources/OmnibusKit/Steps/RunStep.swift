import Definitions

/// `run: "command"`: a shell command run with `/bin/sh -c` in the source directory; the escape hatch.
struct RunStep: StepKind {
    static let name = "run"
    let command: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> RunStep? {
        decoding.string(body).map(RunStep.init)
    }

    var summary: String { "run: " + (command.count > 60 ? String(command.prefix(57)) + "..." : command) }
    var keyText: String { "run(\(Self.quoted(command)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        try await step.run(["/bin/sh", "-c", try step.render(command)])
    }
}

extension StepKind {
    /// A string as Swift prints it in a literal, for key texts that stay the same across releases.
    static func quoted(_ text: String) -> String { String(reflecting: text) }
}
