import Foundation
import TestSupport

/// Runs the built `omnibus` executable, as a user would.
struct OmnibusBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary beside the test bundle (SwiftPM builds both into the same directory).
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["OMNIBUS_BIN"] { return explicit }
        let productsDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = productsDir
        // On Linux arguments[0] is the .xctest executable; elsewhere it may sit inside a bundle.
        for _ in 0..<4 {
            let binary = candidate.appendingPathComponent("omnibus").path
            if FileManager.default.isExecutableFile(atPath: binary) { return binary }
            candidate.deleteLastPathComponent()
        }
        return productsDir.appendingPathComponent("omnibus").path
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await runProgram(path, arguments, in: directory ?? repositoryRoot,
                             environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    /// Runs any program with exactly `environment`, both output streams captured through files
    /// (no pipe can fill up and block it).
    static func runProgram(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
        let errFile = outFile + ".err"
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        try await process.runUntilExit()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return Result(status: process.terminationStatus, stdout: read(outFile), stderr: read(errFile))
    }
}
