import Foundation
import TestSupport

/// The outcome of running a real tool.
struct CommandResult {
    let status: Int32
    let output: Data
    let error: String

    var text: String { String(decoding: output, as: UTF8.self) }
    var succeeded: Bool { status == 0 }
}

enum Command {
    /// Runs `executable` (a path, or a name looked up in PATH) and waits; output goes through
    /// temporary files so that no pipe can fill up and block the tool.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: String? = nil) async throws -> CommandResult {
        let started = try Started(executable, arguments, environment, directory)
        defer { started.removeOutputs() }
        try await started.process.runUntilExit()
        return try started.result()
    }

    /// For a clean-up in a `defer`, where nothing can be awaited: the wait holds the calling
    /// thread, so only for a command that ends at once (`gpgconf --kill`).
    @discardableResult
    static func runBriefly(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        let started = try Started(executable, arguments, nil, nil)
        defer { started.removeOutputs() }
        try started.process.run()
        started.process.waitUntilExit()
        return try started.result()
    }

    /// A process set up with its output files, not yet running.
    private struct Started {
        let process = Process()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString)")
        var outURL: URL { scratch.appendingPathComponent("out") }
        var errURL: URL { scratch.appendingPathComponent("err") }

        init(_ executable: String, _ arguments: [String], _ environment: [String: String]?, _ directory: String?) throws {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : (which(executable) ?? executable))
            process.arguments = arguments
            if let environment { process.environment = environment }
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
        }

        func result() throws -> CommandResult {
            CommandResult(status: process.terminationStatus, output: try Data(contentsOf: outURL),
                          error: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        }

        func removeOutputs() {
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    /// Runs a shell pipeline with `/bin/sh -c`.
    @discardableResult
    static func shell(_ script: String) async throws -> CommandResult {
        try await run("/bin/sh", ["-c", script])
    }

    /// The tool's path in PATH (plus the sbin directories), or nil when it is not installed.
    static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Single-quotes a word for `/bin/sh`.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
