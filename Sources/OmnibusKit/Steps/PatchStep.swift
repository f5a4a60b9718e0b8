import Definitions

/// `patch: file` or `{file, strip}`: `patch -p<strip>` with a file kept beside the definition.
struct PatchStep: StepKind {
    static let name = "patch"
    let file: String
    let strip: Int

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> PatchStep? {
        var file: Located<String>?
        var strip = 1
        if case .mapping = body {
            guard let map = decoding.fields(body, allowed: ["file", "strip"]) else { return nil }
            file = map.string("file", required: "step 'patch'", problems: &decoding.problems)
            if let value = decoding.int(map, "strip") {
                if value.value < 0 { decoding.error("'patch.strip' must be 0 or more, found \(value.value)", at: value.location) }
                strip = value.value
            }
        } else {
            file = TypedValue.string(body, name: "patch", problems: &decoding.problems)
        }
        guard let file else { return nil }
        decoding.definitionFile(file, what: "patch file")
        return PatchStep(file: file.value, strip: strip)
    }

    var summary: String { "patch \(file)" }
    var definitionFiles: [String] { [file] }
    var keyText: String { "patch(file: \(Self.quoted(file)), strip: \(strip))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let path = try step.definitionFile(file)
        try await step.run(["patch", "-p\(strip)", "--batch", "--forward", "-i", path])
    }
}
