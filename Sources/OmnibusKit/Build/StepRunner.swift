import Definitions
import Foundation

/// Carries out one build step: commands through `Subprocess`, file steps directly.
struct StepRunner {
    let context: StepContext
    let log: BuildLog
    let registry: ProcessRegistry
    let jobs: Int

    func run(_ step: BuildStep) throws(BuildFailure.Reason) {
        switch step {
        case .run(let command):
            try execute(["/bin/sh", "-c", try context.render(command)])
        case .configure(let script, let args, let prefix):
            var argv = [try context.render(script)]
            if prefix { argv.append("--prefix=\(context.project.embeddedDir)") }
            argv += try args.map { arg throws(BuildFailure.Reason) in try context.render(arg) }
            try execute(argv)
        case .make(let args, let parallel):
            var argv = ["make"]
            if parallel { argv.append("-j\(jobs)") }
            argv += try args.map { arg throws(BuildFailure.Reason) in try context.render(arg) }
            try execute(argv)
        case .patch(let file, let strip):
            let rendered = try context.render(file)
            let path = rendered.hasPrefix("/") ? rendered : context.definitionDir + "/" + rendered
            try execute(["patch", "-p\(strip)", "--batch", "--forward", "-i", path])
        case .copy(let from, let to):
            try copy(from: try context.source(from), to: try context.target(to, forWriting: true))
        case .link(let target, let path):
            let linkPath = try context.target(path, forWriting: true)
            let rendered = try context.render(target)
            log.note("$ ln -sfn \(rendered) \(linkPath)")
            try fileOperation("link \(linkPath)") {
                try makeParent(of: linkPath)
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: linkPath)) != nil
                    || FileManager.default.fileExists(atPath: linkPath) {
                    try FileManager.default.removeItem(atPath: linkPath)
                }
                try FileManager.default.createSymbolicLink(atPath: linkPath, withDestinationPath: rendered)
            }
        case .mkdir(let path):
            let dir = try context.target(path, forWriting: true)
            log.note("$ mkdir -p \(dir)")
            try fileOperation("create \(dir)") { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        case .delete(let path):
            let doomed = try context.target(path, forWriting: true)
            log.note("$ rm -rf \(doomed)")
            try fileOperation("delete \(doomed)") {
                if FileManager.default.fileExists(atPath: doomed)
                    || (try? FileManager.default.destinationOfSymbolicLink(atPath: doomed)) != nil {
                    try FileManager.default.removeItem(atPath: doomed)
                }
            }
        case .template(let source, let dest, let mode):
            let rendered = try context.render(source)
            let sourcePath = rendered.hasPrefix("/") ? rendered : context.definitionDir + "/" + rendered
            let destPath = try context.target(dest, forWriting: true)
            log.note("$ render \(sourcePath) > \(destPath)")
            guard let text = try? String(contentsOfFile: sourcePath, encoding: .utf8) else {
                throw .invalidStep("cannot read template \(sourcePath)")
            }
            let output = try context.render(text)
            try fileOperation("write \(destPath)") {
                try makeParent(of: destPath)
                try Data(output.utf8).write(to: URL(fileURLWithPath: destPath))
                try FileManager.default.setAttributes([.posixPermissions: Int(mode ?? 0o644)], ofItemAtPath: destPath)
            }
        }
    }

    /// How the step is shown in progress and failure reports.
    static func summary(_ step: BuildStep) -> String {
        switch step {
        case .run(let command): "run: " + (command.count > 60 ? String(command.prefix(57)) + "..." : command)
        case .configure(let script, _, _): "configure (\(script))"
        case .make(let args, _): args.isEmpty ? "make" : "make " + args.joined(separator: " ")
        case .patch(let file, _): "patch \(file)"
        case .copy(_, let to): "copy to \(to)"
        case .link(_, let path): "link \(path)"
        case .mkdir(let path): "mkdir \(path)"
        case .delete(let path): "delete \(path)"
        case .template(_, let dest, _): "template \(dest)"
        }
    }

    private func execute(_ argv: [String]) throws(BuildFailure.Reason) {
        let command = Subprocess.shellQuoted(argv)
        log.note("$ \(command)")
        let process = Subprocess(arguments: argv, environment: context.environment.variables, directory: context.buildDir)
        let status: Int32
        do {
            status = try process.run(registry: registry) { [log] data in log.output(data) }
        } catch {
            throw registry.isCancelled ? .cancelled : .invalidStep(error.description)
        }
        if registry.isCancelled { throw .cancelled }
        guard status == 0 else { throw .commandFailed(command: command, status: status) }
    }

    private func copy(from: String, to: String) throws(BuildFailure.Reason) {
        log.note("$ cp -a \(from) \(to)")
        try fileOperation("copy \(from) to \(to)") {
            var isDirectory: ObjCBool = false
            let destinationIsDirectory = FileManager.default.fileExists(atPath: to, isDirectory: &isDirectory) && isDirectory.boolValue
            let destination = destinationIsDirectory ? to + "/" + (from as NSString).lastPathComponent : to
            try makeParent(of: destination)
            if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
            try FileManager.default.copyItem(atPath: from, toPath: destination)
        }
    }

    private func makeParent(of path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
    }

    private func fileOperation(_ what: String, _ body: () throws -> Void) throws(BuildFailure.Reason) {
        do {
            try body()
        } catch {
            let reason = (error as NSError).localizedDescription
            log.note("error: cannot \(what): \(reason)")
            throw .io("cannot \(what): \(reason)")
        }
    }
}
