import Definitions
import Foundation

/// `delete: path`: like `rm -rf`, only inside the build.
struct DeleteStep: StepKind {
    static let name = "delete"
    let path: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> DeleteStep? {
        decoding.string(body).map(DeleteStep.init)
    }

    var summary: String { "delete \(path)" }
    var keyText: String { "delete(\(Self.quoted(path)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let doomed = try step.writablePath(path)
        step.log("$ rm -rf \(doomed)")
        try FileStep.operation("delete \(doomed)", step) {
            if FileStep.exists(doomed) { try FileManager.default.removeItem(atPath: doomed) }
        }
    }
}
