import Foundation

/// A real HTTP server on 127.0.0.1 (Python's http.server on a free port) serving a directory,
/// logging every request path, optionally answering 503 to the first requests, or misbehaving
/// the way real servers do (`Behavior`). It shuts itself down after `lifetime` seconds even if
/// the test never stops it, and a stalled answer never outlives it.
final class LocalHTTPServer: @unchecked Sendable {
    /// How the server answers a GET for a file it has; anything else is answered normally.
    enum Behavior: Sendable {
        /// The file, as any web server would send it.
        case serve
        /// Accepts the connection and reads the request, then never answers.
        case silent
        /// Promises the whole file, sends the first half, then closes the connection.
        case closeMidBody
        /// Promises the whole file, sends the first half, then sends nothing more.
        case stallMidBody
        /// Promises the whole file, then sends one byte every `interval` seconds.
        case trickle(interval: Double)

        var arguments: [String] {
            switch self {
            case .serve: ["serve", "0"]
            case .silent: ["silent", "0"]
            case .closeMidBody: ["close-mid-body", "0"]
            case .stallMidBody: ["stall-mid-body", "0"]
            case .trickle(let interval): ["trickle", String(interval)]
            }
        }
    }

    let root: String
    let baseURL: URL
    private let process: Process
    private let logPath: String
    private let scratch: TemporaryDirectory

    init(root: String, failFirst: Int = 0, failStatus: Int = 503, behavior: Behavior = .serve,
         lifetime: Int = 120) throws {
        scratch = try TemporaryDirectory("http")
        let script = scratch.sub("server.py")
        let portFile = scratch.sub("port")
        logPath = scratch.sub("requests.log")
        try write(Self.script, to: script)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, root, portFile, logPath, String(failFirst), String(failStatus),
                             String(lifetime)] + behavior.arguments
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
        behavior, interval = sys.argv[7], float(sys.argv[8])
        lock = threading.Lock()
        seen = [0]
        # Set when the lifetime ends: every stalled or trickling answer gives up then.
        stopping = threading.Event()

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
                path = self.translate_path(self.path)
                if behavior == "serve" or not os.path.isfile(path):
                    super().do_GET()
                    return
                self.close_connection = True
                if behavior == "silent":
                    stopping.wait(lifetime)
                    return
                with open(path, "rb") as f:
                    body = f.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if behavior == "trickle":
                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            if stopping.wait(interval):
                                return
                        return
                    self.wfile.write(body[:len(body) // 2])
                    self.wfile.flush()
                    if behavior == "stall-mid-body":
                        stopping.wait(lifetime)
                except OSError:
                    pass  # the client went away, which is what the tests want it to do

        def stop():
            stopping.set()
            server.shutdown()

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Timer(lifetime, stop).start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """
}
