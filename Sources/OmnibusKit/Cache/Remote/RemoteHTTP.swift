import Digest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// HTTP/1.1 GET, HEAD and PUT against the remote cache, each bounded twice: abandoned when no byte
/// has moved for `requestTimeout`, and when the operation's `deadline` passes. The bounds are
/// kept here, by a watchdog, rather than left to URLSession's timeouts: those differ between
/// platforms, and a server that accepts the connection and never answers must cost seconds,
/// not a build.
///
/// Redirects are not followed, so the credentials are only ever sent to the cache's own URL.
struct RemoteHTTP: Sendable {
    let credentials: RemoteCacheCredentials?
    let requestTimeout: TimeInterval
    let operationTimeout: TimeInterval
    let deadline: ContinuousClock.Instant

    init(settings: RemoteCacheSettings) {
        credentials = settings.credentials
        requestTimeout = settings.requestTimeout
        operationTimeout = settings.operationTimeout
        deadline = .now + .seconds(settings.operationTimeout)
    }

    struct Reply: Sendable {
        let status: Int
        let location: String?
        /// The body, when it was kept in memory.
        let body: Data
        /// Bytes received, and their SHA-256 when written to a file.
        let received: Int64
        let sha256: String?

        var succeeded: Bool { (200..<300).contains(status) }
    }

    enum Failure: Error, Sendable {
        case timedOut(seconds: Double)
        case transport(String)
        case tooLarge(limit: Int64)
        case localIO(path: String, reason: String)
        case cancelled
    }

    /// Where a successful (2xx) response's body goes; other bodies are dropped.
    enum Destination: Sendable {
        case memory(limit: Int64)
        /// Written to a new file, hashed on the way.
        case file(String, limit: Int64)
    }

    enum Upload: Sendable {
        case data(Data)
        case file(String)
    }

    func get(_ url: URL, into destination: Destination) async -> Result<Reply, Failure> {
        await perform(method: "GET", url: url, upload: nil, destination: destination)
    }

    /// Whether something is there, without its body.
    func head(_ url: URL) async -> Result<Reply, Failure> {
        // No limit: a HEAD answer announces the length of a body it does not send.
        await perform(method: "HEAD", url: url, upload: nil, destination: .memory(limit: .max))
    }

    func put(_ url: URL, _ upload: Upload) async -> Result<Reply, Failure> {
        await perform(method: "PUT", url: url, upload: upload, destination: .memory(limit: 64 << 10))
    }

    private func perform(method: String, url: URL, upload: Upload?, destination: Destination) async -> Result<Reply, Failure> {
        if Task.isCancelled { return .failure(.cancelled) }
        if ContinuousClock.now >= deadline { return .failure(.timedOut(seconds: operationTimeout)) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.cachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        if let credentials { request.setValue(credentials.header, forHTTPHeaderField: "Authorization") }
        let exchange: Exchange
        do { exchange = try Exchange(destination) } catch { return .failure(error) }

        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // Backstops only: the watchdog below decides, with a clearer message.
        configuration.timeoutIntervalForRequest = requestTimeout + 5
        configuration.timeoutIntervalForResource = operationTimeout + 5
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task: URLSessionTask
        switch upload {
        case nil: task = session.dataTask(with: request)
        case .data(let data):
            request.setValue(String(data.count), forHTTPHeaderField: "Content-Length")
            task = session.uploadTask(with: request, from: data)
        case .file(let path):
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            request.setValue(String(size), forHTTPHeaderField: "Content-Length")
            task = session.uploadTask(with: request, fromFile: URL(fileURLWithPath: path))
        }
        let watchdog = exchange.watch(task, idleLimit: requestTimeout, deadline: deadline, operationTimeout: operationTimeout)
        defer { watchdog.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in exchange.start(task, continuation) }
        } onCancel: {
            exchange.stop(task, because: .cancelled)
        }
    }
}

/// The state of one request, touched by URLSession's delegate queue, the watchdog and the
/// cancelling task; all of it behind one lock.
private final class Exchange: NSObject, URLSessionDataDelegate, Sendable {
    typealias Completion = CheckedContinuation<Result<RemoteHTTP.Reply, RemoteHTTP.Failure>, Never>

    private struct State {
        var lastActivity = ContinuousClock.now
        var status = 0
        var location: String?
        var memory = Data()
        var file: FileHandle?
        var filePath: String?
        var digest: StreamingDigest?
        var received: Int64 = 0
        var limit: Int64
        /// Why the task was cancelled from this side, if it was.
        var stopped: RemoteHTTP.Failure?
        /// The response was an authentication challenge, complete before its task was cancelled.
        var challenged = false
        var completion: Completion?
    }

    private let state: Mutex<State>

    init(_ destination: RemoteHTTP.Destination) throws(RemoteHTTP.Failure) {
        switch destination {
        case .memory(let limit):
            state = Mutex(State(limit: limit))
        case .file(let path, let limit):
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw .localIO(path: path, reason: String(cString: strerror(errno)))
            }
            let digest: StreamingDigest
            do { digest = try StreamingDigest(.sha256) } catch { throw .localIO(path: path, reason: error.description) }
            state = Mutex(State(file: handle, filePath: path, digest: digest, limit: limit))
        }
    }

    func start(_ task: URLSessionTask, _ completion: Completion) {
        let stopped = state.withLock { state -> RemoteHTTP.Failure? in
            state.completion = completion
            state.lastActivity = .now
            return state.stopped
        }
        // Cancelled before it began: never start it.
        if let stopped { finish(.failure(stopped)) } else { task.resume() }
    }

    func stop(_ task: URLSessionTask, because failure: RemoteHTTP.Failure) {
        state.withLock { if $0.stopped == nil { $0.stopped = failure } }
        task.cancel()
    }

    /// Checks the bounds a few times a second until the returned timer is cancelled. A dispatch
    /// timer rather than a task: the cooperative pool may be busy for seconds with the build's
    /// hashing and compression, and the bound must hold all the same.
    func watch(_ task: URLSessionTask, idleLimit: TimeInterval, deadline: ContinuousClock.Instant,
               operationTimeout: TimeInterval) -> any DispatchSourceTimer {
        let tick = DispatchTimeInterval.milliseconds(Int(min(250, max(10, idleLimit * 100))))
        let timer = DispatchSource.makeTimerSource(queue: Self.watchdogQueue)
        timer.schedule(deadline: .now() + tick, repeating: tick)
        timer.setEventHandler { [self] in
            let now = ContinuousClock.now
            let (idle, stopped) = state.withLock { (now - $0.lastActivity, $0.stopped != nil) }
            if stopped { return }
            if now >= deadline {
                stop(task, because: .timedOut(seconds: operationTimeout))
            } else if idle >= .seconds(idleLimit) {
                stop(task, because: .timedOut(seconds: idleLimit))
            }
        }
        timer.resume()
        return timer
    }

    private static let watchdogQueue = DispatchQueue(label: "omnibus.remote-cache.watchdog")

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        let tooLarge = state.withLock { state -> Bool in
            state.lastActivity = .now
            state.status = http?.statusCode ?? 0
            state.location = http?.value(forHTTPHeaderField: "Location")
            // A length announced up front is checked before any byte is written.
            return (200..<300).contains(state.status) && response.expectedContentLength > state.limit
        }
        if tooLarge {
            state.withLock { state in
                if state.stopped == nil { state.stopped = .tooLarge(limit: state.limit) }
            }
            completionHandler(.cancel)
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let problem = state.withLock { state -> RemoteHTTP.Failure? in
            state.lastActivity = .now
            guard (200..<300).contains(state.status) else {
                // Only the start of an error page is kept; it is never shown whole.
                if state.memory.count < 4096 { state.memory.append(data.prefix(4096 - state.memory.count)) }
                return nil
            }
            state.received += Int64(data.count)
            if state.received > state.limit { return .tooLarge(limit: state.limit) }
            guard let file = state.file else {
                state.memory.append(data)
                return nil
            }
            do { try file.write(contentsOf: data) } catch {
                return .localIO(path: state.filePath ?? "", reason: error.localizedDescription)
            }
            data.withUnsafeBytes { state.digest?.update($0) }
            return nil
        }
        if let problem { stop(dataTask, because: problem) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64,
                    totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        state.withLock { $0.lastActivity = .now }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        // nil: the 3xx response itself becomes the answer, and the caller reports it.
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        // Credentials only ever go in the Authorization header, so a 401 is the answer, not a
        // question. The challenge comes after the whole 401 response; cancelling ends the task
        // (default handling leaves it stalled on Linux) and the response recorded stands.
        let status = (challenge.failureResponse as? HTTPURLResponse)?.statusCode
        state.withLock { state in
            state.challenged = true
            if let status { state.status = status }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let result = state.withLock { state -> Result<RemoteHTTP.Reply, RemoteHTTP.Failure> in
            try? state.file?.close()
            state.file = nil
            if let stopped = state.stopped { return .failure(stopped) }
            if let error, !state.challenged { return .failure(.transport(Self.describe(error))) }
            let sha256 = state.digest.map { Digests.hexString($0.finalize()) }
            return .success(RemoteHTTP.Reply(status: state.status, location: state.location, body: state.memory,
                                             received: state.received, sha256: (200..<300).contains(state.status) ? sha256 : nil))
        }
        finish(result)
    }

    private func finish(_ result: Result<RemoteHTTP.Reply, RemoteHTTP.Failure>) {
        let completion = state.withLock { state -> Completion? in
            defer { state.completion = nil }
            return state.completion
        }
        completion?.resume(returning: result)
    }

    /// URLError's own description is an NSError dump; the localized description carries curl's
    /// readable reason ("Failed to connect to 127.0.0.1 port 9 ...").
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let reason = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !reason.isEmpty { return reason }
        return "network error \(nsError.code)"
    }
}
