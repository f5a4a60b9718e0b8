import Definitions
import Foundation

/// `link: {target, path}`: a symbolic link at `path` pointing to `target` (which is not resolved).
struct LinkStep: StepKind {
    static let name = "link"
    let target: String
    let path: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> LinkStep? {
        guard let map = decoding.fields(body, allowed: ["target", "path"]),
              let target = decoding.field(map, "target"), let path = decoding.field(map, "path") else { return nil }
        return LinkStep(target: target, path: path)
    }

    var summary: String { "link \(path)" }
    var keyText: String { "link(target: \(Self.quoted(target)), path: \(Self.quoted(path)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let linkPath = try step.writablePath(path)
        let rendered = try step.render(target)
        step.log("$ ln -sfn \(rendered) \(linkPath)")
        try FileStep.operation("link \(linkPath)", step) {
            try FileStep.makeParent(of: linkPath)
            if FileStep.exists(linkPath) { try FileManager.default.removeItem(atPath: linkPath) }
            try FileManager.default.createSymbolicLink(atPath: linkPath, withDestinationPath: rendered)
        }
    }
}
