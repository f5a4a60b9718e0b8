import Foundation

/// Copies one http(s) or file URL to a local path, retrying transient failures with backoff
/// until the download's deadline. It does not judge the bytes: verification is the cache's job.
struct Retriever: Sendable {
    let retry: RetryPolicy
    let requestTimeout: TimeInterval
    let limits: DownloadLimits
    let events: FetchEventHandler?

    /// Nil when `destination` now holds the bytes, otherwise why not (after all retries).
    /// Throws only `.cancelled`, as soon as the calling task is cancelled.
    func retrieve(_ url: URL, to destination: String) async throws(FetchError) -> FetchAttempt.Outcome? {
        events?(.trying(location: url.isFileURL ? url.path : url.absoluteString))
        if url.isFileURL { return copyLocal(url.path, to: destination) }
        return try await download(url, to: destination)
    }

    private func copyLocal(_ path: String, to destination: String) -> FetchAttempt.Outcome? {
        guard FileOps.isRegularFile(path) else { return .notFound }
        do { try FileOps.copyFile(path, to: destination) } catch {
            return .transport(error.description, attempts: 1)
        }
        return nil
    }

    private func download(_ url: URL, to destination: String) async throws(FetchError) -> FetchAttempt.Outcome? {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(limits.deadline)
        var previous: FetchAttempt.Outcome?
        var attempt = 0
        while true {
            attempt += 1
            let failure: FetchAttempt.Outcome
            let retryable: Bool
            switch await HTTPTransfer.get(url, into: destination, requestTimeout: requestTimeout, limits: limits,
                                          deadline: deadline) {
            case .complete:
                return nil
            case .status(let status) where status == 404 || status == 410:
                return .notFound
            case .status(let status):
                failure = .httpStatus(status, attempts: attempt)
                retryable = status == 408 || status == 429 || status >= 500
            case .failed(let reason):
                failure = .transport(reason, attempts: attempt)
                retryable = true
            case .cannotStore(let reason):
                return .transport(reason, attempts: attempt)
            case .tooSlow(let received, let window):
                failure = .tooSlow(received: received, window: window, minimumRate: limits.minimumRate,
                                   attempts: attempt, advice: limits.rateAdvice)
                retryable = true
            case .deadlinePassed:
                return deadlinePassed(attempts: attempt, previous: previous)
            case .cancelled:
                throw .cancelled
            }
            guard retryable, attempt < retry.attempts else { return failure }
            previous = failure
            let delay = retry.delay(after: attempt)
            // Waiting past the deadline would only delay the same verdict.
            guard clock.now + .seconds(delay) < deadline else { return deadlinePassed(attempts: attempt, previous: failure) }
            events?(.retrying(location: url.absoluteString, attempt: attempt + 1, delay: delay,
                              reason: FetchAttempt(location: url.absoluteString, outcome: failure).description))
            do { try await Task.sleep(for: .seconds(delay)) } catch { throw .cancelled }
        }
    }

    private func deadlinePassed(attempts: Int, previous: FetchAttempt.Outcome?) -> FetchAttempt.Outcome {
        .deadlineExceeded(seconds: limits.deadline, attempts: attempts, lastFailure: previous?.briefReason,
                          advice: limits.deadlineAdvice)
    }
}
