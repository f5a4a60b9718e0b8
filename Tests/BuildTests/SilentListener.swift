import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte: the
/// server that hangs. Connections are held open until `stop()`, which the test must call: the
/// accepting thread keeps the listener alive until then.
final class SilentListener: Sendable {
    let port: Int
    private let socket: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let held = Mutex<[Int32]>([])

    init() throws {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw NginxError("socket: \(String(cString: strerror(errno)))") }
        var address = NginxServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            close(socket)
            throw NginxError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.socket = socket
        // A thread of its own: accept blocks, and must not hold a thread of the cooperative pool.
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    var accepted: Int { held.withLock { $0.count } }

    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for _ in 0..<100 where !finished.load(ordering: .sequentiallyConsistent) { usleep(10_000) }
        close(socket)
        held.withLock { fds in
            fds.forEach { close($0) }
            fds.removeAll()
        }
    }

    private func acceptLoop() {
        defer { finished.store(true, ordering: .sequentiallyConsistent) }
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let connection = accept(socket, nil, nil)
            if connection >= 0 { held.withLock { $0.append(connection) } }
        }
    }
}
