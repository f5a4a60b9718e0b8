import Foundation

/// A real HTTP server on 127.0.0.1 (Python's http.server on a free port) serving a directory,
/// logging every request path, optionally answering 503 to the first requests. It shuts itself
/// down after `lifetime` seconds even if the test never stops it.
final class LocalHTTPServer: @unchecked Sendable {
    let root: String
    let baseURL: URL
    private let process: Process
    private let logPath: String
    private let scratch: TemporaryDirectory

    init(root: String, failFirst: Int = 0, failStatus: Int = 503, lifetime: Int = 120) throws {
        scratch = try TemporaryDirectory("http")
        let script = scratch.sub("server.py")
        let portFile = scratch.sub("port")
        logPath = scratch.sub("requests.log")
        try write(Self.script, to: script)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, root, portFile, logPath, String(failFirst), String(failStatus),
                             String(lifetime)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var port: String?
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), !text.isEmpty { port = text; break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let port else {
            process.terminate()
            throw Tools.ToolFailure(command: "python3 server.py", output: "the test HTTP server did not start")
        }
        self.root = root
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit { stop() }

    func url(_ path: String) -> URL { baseURL.appendingPathComponent(path) }

    /// Request paths in the order the server saw them.
    var requests: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    private static let script = """
        import http.server, os, signal, sys, threading
        # Started from a Swift concurrency thread, the server inherits a mask that blocks SIGTERM.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        root, port_file, log_file = sys.argv[1], sys.argv[2], sys.argv[3]
        fail_first, fail_status, lifetime = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
        lock = threading.Lock()
        seen = [0]

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                with lock:
                    seen[0] += 1
                    number = seen[0]
                    with open(log_file, "a") as log:
                        log.write(self.path + "\\n")
                if number <= fail_first:
                    self.send_response(fail_status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                super().do_GET()

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Timer(lifetime, server.shutdown).start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """
}
