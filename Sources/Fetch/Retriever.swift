import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Copies one http(s) or file URL to a local path, retrying transient failures with backoff.
/// It does not judge the bytes: verification is the cache's job.
struct Retriever: Sendable {
    let retry: RetryPolicy
    let requestTimeout: TimeInterval
    let events: FetchEventHandler?

    /// Nil when `destination` now holds the bytes, otherwise why not (after all retries).
    func retrieve(_ url: URL, to destination: String) async -> FetchAttempt.Outcome? {
        events?(.trying(location: url.isFileURL ? url.path : url.absoluteString))
        if url.isFileURL { return copyLocal(url.path, to: destination) }
        return await download(url, to: destination)
    }

    private func copyLocal(_ path: String, to destination: String) -> FetchAttempt.Outcome? {
        guard FileOps.isRegularFile(path) else { return .notFound }
        do { try FileOps.copyFile(path, to: destination) } catch {
            return .transport(error.description, attempts: 1)
        }
        return nil
    }

    private func download(_ url: URL, to destination: String) async -> FetchAttempt.Outcome? {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var attempt = 0
        while true {
            attempt += 1
            let failure: FetchAttempt.Outcome
            let retryable: Bool
            do {
                let (temporary, response) = try await session.download(for: URLRequest(url: url))
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) {
                    do {
                        try FileManager.default.moveItem(atPath: temporary.path, toPath: destination)
                        return nil
                    } catch {
                        FileOps.remove(temporary.path)
                        return .transport("cannot store the download: \(error.localizedDescription)", attempts: attempt)
                    }
                }
                FileOps.remove(temporary.path)
                if status == 404 || status == 410 { return .notFound }
                failure = .httpStatus(status, attempts: attempt)
                retryable = status == 408 || status == 429 || status >= 500
            } catch {
                failure = .transport(Self.describe(error), attempts: attempt)
                retryable = !Task.isCancelled
            }
            guard retryable, attempt < retry.attempts else { return failure }
            let delay = retry.delay(after: attempt)
            events?(.retrying(location: url.absoluteString, attempt: attempt + 1, delay: delay,
                              reason: FetchAttempt(location: url.absoluteString, outcome: failure).description))
            do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch {
                return .transport("cancelled", attempts: attempt)
            }
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
