import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One http(s) GET streamed into a file this process creates, ended by whichever comes first:
/// the last byte, a failure, the deadline, a rate too low, or cancellation of the calling task.
///
/// The body is written by a delegate rather than fetched with a download task: a download task
/// spools into a file of its own in the system's temporary directory and leaves it there when
/// the transfer fails, and it cannot be stopped for being slow. Here the file is ours, so every
/// ending but success deletes it before `get` returns.
final class HTTPTransfer: NSObject, URLSessionDataDelegate, Sendable {
    enum Ending: Sendable, Equatable {
        /// `path` holds the whole body of a 2xx answer.
        case complete
        /// The final answer (after redirects) was not 2xx.
        case status(Int)
        /// The connection failed or was closed early, or the server fell silent for the request timeout.
        case failed(String)
        /// The bytes arrived but could not be written here.
        case cannotStore(String)
        /// Fewer than the minimum rate allows arrived over the rate window.
        case tooSlow(received: Int64, window: TimeInterval)
        case deadlinePassed
        case cancelled
    }

    private struct State {
        var file: Int32
        var received: Int64 = 0
        var ending: Ending?
        var continuation: CheckedContinuation<Ending, Never>?
        var task: URLSessionDataTask?
    }

    private let state: Mutex<State>

    private init(file: Int32) {
        state = Mutex(State(file: file))
    }

    /// Fetches `url` into `path`, which must not exist. Only `.complete` leaves a file there.
    static func get(_ url: URL, into path: String, requestTimeout: TimeInterval, limits: DownloadLimits,
                    deadline: ContinuousClock.Instant) async -> Ending {
        let file = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard file >= 0 else { return .cannotStore("cannot create \(path): \(FileOps.errorText())") }
        let ending = await HTTPTransfer(file: file).run(url, requestTimeout: requestTimeout, limits: limits, deadline: deadline)
        if ending != .complete { unlink(path) }
        return ending
    }

    private func run(_ url: URL, requestTimeout: TimeInterval, limits: DownloadLimits,
                     deadline: ContinuousClock.Instant) async -> Ending {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        // A session holds its delegate until it is invalidated.
        defer { session.invalidateAndCancel() }
        let task = session.dataTask(with: URLRequest(url: url))
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watch(limits: limits, deadline: deadline) }
            let ending = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    if let ending = register(continuation, task) {
                        continuation.resume(returning: ending)
                    } else {
                        task.resume()
                    }
                }
            } onCancel: {
                end(.cancelled)
            }
            group.cancelAll()
            return ending
        }
    }

    /// Nil once the continuation waits for the transfer; the ending if it came first (the task
    /// was already cancelled, or the deadline had passed).
    private func register(_ continuation: CheckedContinuation<Ending, Never>, _ task: URLSessionDataTask) -> Ending? {
        state.withLock { state in
            if let ending = state.ending { return ending }
            state.continuation = continuation
            state.task = task
            return nil
        }
    }

    /// The first ending wins; later ones (the completion that follows a cancel) are ignored.
    private func end(_ proposed: Ending) {
        typealias Taken = (Ending?, CheckedContinuation<Ending, Never>?, URLSessionDataTask?)
        let (ending, continuation, task) = state.withLock { state -> Taken in
            guard state.ending == nil else { return (nil, nil, nil) }
            var ending = proposed
            // close reports write errors some file systems (NFS) only notice then.
            if close(state.file) != 0, ending == .complete {
                ending = .cannotStore("cannot finish writing the download: \(FileOps.errorText())")
            }
            state.file = -1
            state.ending = ending
            defer { state.continuation = nil; state.task = nil }
            return (ending, state.continuation, state.task)
        }
        guard let ending else { return }
        if ending != .complete { task?.cancel() }
        continuation?.resume(returning: ending)
    }

    /// Ends the transfer at the deadline, or when the last `rateWindow` seconds brought fewer
    /// bytes than the minimum rate asks. Checked a few times a second, so a limit trips promptly.
    private func watch(limits: DownloadLimits, deadline: ContinuousClock.Instant) async {
        let clock = ContinuousClock()
        let window = Duration.seconds(limits.rateWindow)
        var samples: [(at: ContinuousClock.Instant, received: Int64)] = [(clock.now, 0)]
        while true {
            if clock.now >= deadline {
                end(.deadlinePassed)
                return
            }
            do { try await Task.sleep(until: min(clock.now + .milliseconds(200), deadline), clock: clock) } catch { return }
            guard let received = state.withLock({ $0.ending == nil ? $0.received : nil }) else { return }
            guard limits.minimumRate > 0 else { continue }
            let now = clock.now
            samples.append((now, received))
            // The newest sample at least a window old is the base; older ones are no longer needed.
            while samples.count > 1, now - samples[1].at >= window { samples.removeFirst() }
            guard now - samples[0].at >= window else { continue }
            let arrived = received - samples[0].received
            if Double(arrived) < Double(limits.minimumRate) * limits.rateWindow {
                end(.tooSlow(received: arrived, window: limits.rateWindow))
                return
            }
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            end(.status(status))
            return completionHandler(.cancel)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let failure: String? = state.withLock { state in
            guard state.ending == nil else { return nil }
            let failure = Self.append(data, to: state.file)
            if failure == nil { state.received += Int64(data.count) }
            return failure
        }
        if let failure { end(.cannotStore(failure)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        end(error.map { .failed(Self.describe($0)) } ?? .complete)
    }

    private static func append(_ data: Data, to file: Int32) -> String? {
        data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = write(file, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return "cannot write the download: \(FileOps.errorText())"
                }
                offset += written
            }
            return nil
        }
    }

    /// URLError's own description is an NSError dump; the localized description carries curl's
    /// readable reason ("Failed to connect to host port 80 ...").
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let reason = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !reason.isEmpty { return reason }
        if let urlError = error as? URLError { return "network error \(urlError.code.rawValue)" }
        return "\(error)"
    }
}
