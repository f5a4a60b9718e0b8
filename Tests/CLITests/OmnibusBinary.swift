import Foundation

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

    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try runProgram(path, arguments, in: directory ?? repositoryRoot,
                       environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    /// Runs any program with exactly `environment`, both output streams captured.
    static func runProgram(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a chatty command cannot fill one and block.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
