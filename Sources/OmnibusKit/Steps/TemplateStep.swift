import Definitions
import Foundation

/// `template: {source, dest, mode}`: a file beside the definition, rendered with the build
/// variables into `dest`.
struct TemplateStep: StepKind {
    static let name = "template"
    let source: String
    let dest: String
    let mode: UInt32?

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> TemplateStep? {
        guard let map = decoding.fields(body, allowed: ["source", "dest", "mode"]),
              let source = map.string("source", required: "step 'template'", problems: &decoding.problems),
              let dest = decoding.field(map, "dest") else { return nil }
        if let path = decoding.definitionFile(source, what: "template") {
            decoding.checkTemplateContents(path: path, of: source)
        }
        var mode: UInt32?
        if let text = map.string("mode", problems: &decoding.problems) {
            mode = UInt32(text.value, radix: 8)
            if mode == nil || mode! > 0o7777 {
                decoding.error("'template.mode' must be an octal mode such as \"0644\", found '\(text.value)'", at: text.location)
            }
        }
        return TemplateStep(source: source.value, dest: dest, mode: mode)
    }

    var summary: String { "template \(dest)" }
    var definitionFiles: [String] { [source] }
    var keyText: String { "template(source: \(Self.quoted(source)), dest: \(Self.quoted(dest)), mode: \(mode.map { "Optional(\($0))" } ?? "nil"))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let sourcePath = try step.definitionFile(source)
        let destPath = try step.writablePath(dest)
        step.log("$ render \(sourcePath) > \(destPath)")
        guard let text = try? String(contentsOfFile: sourcePath, encoding: .utf8) else {
            throw .invalid("cannot read template \(sourcePath)")
        }
        let output = try step.render(text)
        try FileStep.operation("write \(destPath)", step) {
            try FileStep.makeParent(of: destPath)
            try Data(output.utf8).write(to: URL(fileURLWithPath: destPath))
            try FileManager.default.setAttributes([.posixPermissions: Int(mode ?? 0o644)], ofItemAtPath: destPath)
        }
    }
}
