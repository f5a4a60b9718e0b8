import Foundation

/// A real HTTP server on 127.0.0.1 (Python's http.server) serving a directory, for download
/// tests. It logs each request so tests can count downloads, and is stopped when dropped.
final class LocalHTTPServer {
    let directory: String
    let port: Int
    private let process: Process
    private let logPath: String

    init(serving directory: String) throws {
        self.directory = directory
        logPath = directory + "/../http-\(UUID().uuidString.prefix(6)).log"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        var found: Int?
        for _ in 0..<100 {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "port "), let number = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                found = number
                break
            }
            usleep(50_000)
        }
        guard let found else {
            process.terminate()
            throw NSError(domain: "LocalHTTPServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "http.server did not start"])
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Request lines seen so far, e.g. "GET /libgreet-1.0.0.tar.gz".
    var requests: [String] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "\""), let end = line[start.upperBound...].range(of: " HTTP/") else { return nil }
            return String(line[start.upperBound..<end.lowerBound])
        }
    }

    deinit {
        // SIGKILL: a child started from a Swift concurrency thread inherits a mask that blocks
        // SIGTERM, so terminate() alone can leave the server running.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
