import Foundation
import Testing

/// A real nginx with WebDAV PUT on 127.0.0.1, serving (and storing into) its own document root,
/// with its own prefix, configuration and logs in a temporary directory. It runs in the
/// foreground as one process, so it needs no user to switch to and stops with its test.
final class NginxServer {
    let prefix: String
    /// nginx's document root: what a PUT to `/a/b` writes is the file `<root>/a/b`.
    let root: String
    let port: Int
    private let process: Process

    /// - Parameter locationDirectives: extra directives for `location /` (authentication...).
    init(locationDirectives: String = "", files: [String: String] = [:]) throws {
        prefix = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString.prefix(8))").path
        root = prefix + "/root"
        for dir in [root, prefix + "/tmp", prefix + "/logs"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        for (name, content) in files { try content.write(toFile: prefix + "/" + name, atomically: true, encoding: .utf8) }
        let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let nginx else {
            throw NginxError("nginx is not installed (apt-get install nginx; it is listed in .ci/debian-packages)")
        }
        // The free port is found by binding to port 0; another process may take it before nginx
        // does, so a failed start is retried on a new port.
        var lastLog = ""
        for _ in 0..<3 {
            let port = try Self.freePort()
            try Self.configuration(prefix: prefix, port: port, locationDirectives: locationDirectives)
                .write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nginx)
            process.arguments = ["-p", prefix, "-c", prefix + "/nginx.conf", "-e", prefix + "/logs/error.log"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if Self.waitUntilListening(port: port, process: process) {
                self.port = port
                self.process = process
                return
            }
            Self.kill(process)
            lastLog = (try? String(contentsOfFile: prefix + "/logs/error.log", encoding: .utf8)) ?? ""
        }
        throw NginxError("nginx did not start: \(lastLog.suffix(600))")
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Stops nginx and waits for it to be gone; its port refuses connections from then on.
    func stop() {
        Self.kill(process)
    }

    deinit {
        Self.kill(process)
        try? FileManager.default.removeItem(atPath: prefix)
    }

    private static func kill(_ process: Process) {
        guard process.isRunning else { return }
        // SIGKILL: a child started from a Swift concurrency thread inherits a mask that blocks
        // SIGTERM, and nginx holds nothing that needs a clean exit here.
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func configuration(prefix: String, port: Int, locationDirectives: String) -> String {
        """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/logs/error.log info;
        events { worker_connections 64; }
        http {
            access_log \(prefix)/logs/access.log;
            client_body_temp_path \(prefix)/tmp/body;
            proxy_temp_path \(prefix)/tmp/proxy;
            fastcgi_temp_path \(prefix)/tmp/fastcgi;
            uwsgi_temp_path \(prefix)/tmp/uwsgi;
            scgi_temp_path \(prefix)/tmp/scgi;
            server {
                listen 127.0.0.1:\(port);
                root \(prefix)/root;
                location / {
                    dav_methods PUT;
                    create_full_put_path on;
                    client_max_body_size 0;
                    \(locationDirectives)
                }
            }
        }
        """
    }

    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw NginxError("socket: \(String(cString: strerror(errno)))") }
        defer { close(socket) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw NginxError("bind: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Polls until a connection succeeds (at most 5 seconds), or nginx exits.
    private static func waitUntilListening(port: Int, process: Process) -> Bool {
        for _ in 0..<200 {
            guard process.isRunning else { return false }
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(socket)
            if connected == 0 { return true }
            usleep(25_000)
        }
        return false
    }
}

struct NginxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
