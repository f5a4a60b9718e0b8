import Definitions

/// `run: "command"`: a shell command run with `/bin/sh -c` in the source directory; the escape hatch.
struct RunStep: StepKind {
    static let name = "run"
    let command: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> RunStep? {
        decoding.string(body).map(RunStep.init)
    }

    /// The whole first line: the display cuts it to the terminal's width, and cutting here could
    /// split a `{{variable}}` before it is expanded.
    var summary: String {
        let lines = command.split(separator: "\n", omittingEmptySubsequences: true)
        return "run: " + (lines.first.map(String.init) ?? "") + (lines.count > 1 ? " …" : "")
    }
    var keyText: String { "run(\(Self.quoted(command)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        try await step.run(["/bin/sh", "-c", try step.render(command)])
    }
}

extension StepKind {
    /// A string as Swift prints it in a literal, for key texts that stay the same across releases.
    static func quoted(_ text: String) -> String { String(reflecting: text) }
}
