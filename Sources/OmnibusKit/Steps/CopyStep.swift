import Definitions
import Foundation

/// `copy: {from, to}`: like `cp -a`; into a directory when `to` is one.
struct CopyStep: StepKind {
    static let name = "copy"
    let from: String
    let to: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> CopyStep? {
        guard let map = decoding.fields(body, allowed: ["from", "to"]),
              let from = decoding.field(map, "from"), let to = decoding.field(map, "to") else { return nil }
        return CopyStep(from: from, to: to)
    }

    var summary: String { "copy to \(to)" }
    var keyText: String { "copy(from: \(Self.quoted(from)), to: \(Self.quoted(to)))" }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try step.readablePath(from)
        let target = try step.writablePath(to)
        step.log("$ cp -a \(source) \(target)")
        try FileStep.operation("copy \(source) to \(target)", step) {
            var isDirectory: ObjCBool = false
            let intoDirectory = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue
            let destination = intoDirectory ? target + "/" + (source as NSString).lastPathComponent : target
            try FileStep.makeParent(of: destination)
            if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        }
    }
}

/// What the file steps share: errors worded the same way and logged.
enum FileStep {
    static func operation(_ what: String, _ step: any StepExecution, _ body: () throws -> Void) throws(StepFailure) {
        do {
            try body()
        } catch {
            let reason = (error as NSError).localizedDescription
            step.log("error: cannot \(what): \(reason)")
            throw .io("cannot \(what): \(reason)")
        }
    }

    static func makeParent(of path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
    }

    /// Whether anything (a dangling symlink included) is at `path`.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
