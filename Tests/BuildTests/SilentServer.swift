import Foundation

/// A TCP port on 127.0.0.1 that takes connections and never answers, like a server that hangs.
/// It exits by itself after `lifetime` seconds, and is killed when dropped.
final class SilentServer {
    let port: Int
    private let process = Process()

    init(lifetime: Int = 60) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("silent-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import os, socket, sys, time
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen(64)  # the kernel completes connections; nobody ever reads them
            with open(sys.argv[1] + ".tmp", "w") as f:
                f.write(str(s.getsockname()[1]))
            os.rename(sys.argv[1] + ".tmp", sys.argv[1])
            time.sleep(float(sys.argv[2]))
            """, portFile, String(lifetime)]
        try process.run()
        var found: Int?
        for _ in 0..<300 where found == nil {
            found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { usleep(50_000) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw NSError(domain: "SilentServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "the silent server did not start"])
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    deinit {
        // SIGKILL: a child started from a Swift concurrency thread may block SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
