import Definitions
import Foundation

/// What the language steps share. Their tool runs under the pinned build environment plus a few
/// variables of its own, given through `env` on the command line so the step's log shows exactly
/// what the tool saw. Caches and homes go in a dot directory of the source tree: the build
/// directory is made fresh for every build, so nothing from an earlier build (or the user's own
/// `~/.cargo`, `~/.npm`, Go module cache) reaches this one, and Go, Cargo and npm skip dot
/// directories when they look for packages.
enum ToolRun {
    /// `env [--chdir=DIR] NAME=value... arguments...`, the variables sorted so the logged line is
    /// stable; `directory` runs the tool elsewhere than in the source directory.
    static func command(_ arguments: [String], environment: [String: String], directory: String? = nil) -> [String] {
        ["env"] + (directory.map { ["--chdir=\($0)"] } ?? []) + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + arguments
    }

    /// The source directory of a step whose tool installs exactly what `lockFile` pins. Without
    /// the lock the tool would choose versions at build time, so the step stops and says how to
    /// make one: "<tool>: the source has no <lockFile>, so <unpinned> not pinned: <howTo>".
    static func lockedSource(_ lockFile: String, tool: String, unpinned: String, howTo: String,
                             _ step: any StepExecution) throws(StepFailure) -> String {
        let source = try step.writablePath(".")
        guard FileManager.default.fileExists(atPath: source + "/" + lockFile) else {
            throw .invalid("\(tool): the source has no \(lockFile), so \(unpinned) not pinned: \(howTo)")
        }
        return source
    }

    /// `<source dir>/.omnibus-<tool>`, made empty.
    static func privateDirectory(_ tool: String, _ step: any StepExecution) throws(StepFailure) -> String {
        let path = try step.writablePath(".omnibus-\(tool)")
        try FileStep.operation("prepare \(path)", step) {
            if FileStep.exists(path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        return path
    }

    /// Makes `path` (in the staging root) a directory.
    static func makeDirectory(_ path: String, _ step: any StepExecution) throws(StepFailure) {
        try FileStep.operation("create \(path)", step) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
