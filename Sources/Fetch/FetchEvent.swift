/// Progress reported while fetching, for logs and the live display.
package enum FetchEvent: Sendable, Hashable {
    /// The verified file was already in the cache; nothing is downloaded.
    case cacheHit(path: String)
    /// Looking for the file at this URL or path.
    case trying(location: String)
    /// A transient failure; the next attempt starts after `delay` seconds.
    case retrying(location: String, attempt: Int, delay: Double, reason: String)
    /// Bytes found at a location were refused or the location failed; the next one is tried.
    case rejected(FetchAttempt)
    /// Verified bytes from `location` now sit in the cache at `path`.
    case stored(path: String, location: String)
    /// A git command is about to run.
    case git(String)
}

/// Receives `FetchEvent`s; called from whatever task is fetching.
package typealias FetchEventHandler = @Sendable (FetchEvent) -> Void
