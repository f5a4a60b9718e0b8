import Definitions
import Foundation

/// `mkdir: path`: like `mkdir -p`.
struct MkdirStep: StepKind {
    static let name = "mkdir"
    let path: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> MkdirStep? {
        decoding.string(body).map(MkdirStep.init)
    }

    var summary: String { "mkdir \(path)" }
    var keyText: String { "mkdir(\(Self.quoted(path)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let dir = try step.writablePath(path)
        step.log("$ mkdir -p \(dir)")
        try FileStep.operation("create \(dir)", step) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }
}
