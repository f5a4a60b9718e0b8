import Foundation
import TestSupport

/// Runs the real `omnibus` on a pseudo-terminal of a given size, through util-linux `script`,
/// and returns every byte it wrote there, as a terminal would receive them.
enum PseudoTerminalRun {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    struct Output {
        let status: Int32
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// `environment` is added to the test's own, without `CI` (a test run may be in CI) and with
    /// `TERM=xterm-256color` unless given.
    static func omnibus(_ repo: TestRepository, _ arguments: [String], columns: Int, rows: Int = 24,
                        environment: [String: String] = [:]) async throws -> Output {
        var scoped = [arguments[0], "--root", repo.root]
        if ["build", "health-check"].contains(arguments[0]) { scoped += ["--work-dir", repo.workDir, "--cache-dir", repo.cacheDir] }
        scoped += arguments.dropFirst()
        let command = "stty cols \(columns) rows \(rows); exec " + ([OmnibusBinaryPath.path] + scoped).map(quoted).joined(separator: " ")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pty-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // -e: script exits with the command's status; -f: written as it comes.
        process.arguments = ["-q", "-e", "-f", "-c", command, log]
        var env = ProcessInfo.processInfo.environment
        env["CI"] = nil
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm-256color"
        env["OMNIBUS_LIBRARY"] = repo.root + "/no-library"
        process.environment = env.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try await process.runUntilExit()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: log)))
        // `script` frames the session with a header line and, at the end, a trailer line.
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")), bytes.starts(with: Array("Script started".utf8)) {
            bytes.removeFirst(newline + 1)
        }
        if let trailer = String(decoding: bytes, as: UTF8.self).range(of: "\nScript done") {
            bytes = Array(String(decoding: bytes, as: UTF8.self)[..<trailer.lowerBound].utf8) + [UInt8(ascii: "\n")]
        }
        return Output(status: process.terminationStatus, bytes: bytes)
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
