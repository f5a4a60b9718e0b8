import Digest
import Foundation

/// Everything a `SourceFetcher` needs besides the sources themselves.
package struct FetchConfiguration: Sendable {
    /// Root of the content-addressed source cache (see docs/sources.md for the layout).
    package var cacheDirectory: String
    /// Mirrors, tried in this order before any upstream URL.
    package var mirrors: [SourceMirror]
    /// When false, upstream URLs are never contacted: only the cache and the mirrors are used
    /// (an offline build then fails at once instead of waiting for network timeouts).
    package var allowUpstream: Bool
    package var retry: RetryPolicy
    /// Seconds a request may wait for data before it counts as a failed attempt.
    package var requestTimeout: TimeInterval
    /// The deadline of each download (all its attempts together) and the slowest acceptable rate.
    package var limits: DownloadLimits
    /// Appended to "not found in any mirror" errors; the CLI sets it to the command that fills a
    /// mirror from Debian, spelled the way the CLI spells it.
    package var mirrorFillHint: String?
    /// The base of a package index's JSON API (`<base>/<name>/<version>/json`), where `pypi`
    /// sources find their files' upstream URLs.
    package var pypiIndex: URL = FetchConfiguration.defaultPyPIIndex

    package static let defaultPyPIIndex = URL(string: "https://pypi.org/pypi")!

    package init(cacheDirectory: String, mirrors: [SourceMirror] = [], allowUpstream: Bool = true,
                retry: RetryPolicy = RetryPolicy(), requestTimeout: TimeInterval = 60,
                limits: DownloadLimits = DownloadLimits(), mirrorFillHint: String? = nil) {
        self.cacheDirectory = cacheDirectory
        self.mirrors = mirrors
        self.allowUpstream = allowUpstream
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.limits = limits
        self.mirrorFillHint = mirrorFillHint
    }
}

/// How often and how patiently a failing download is retried. Only failures that can be
/// transient are retried (connection errors, timeouts, HTTP 408, 429 and 5xx); a 404 is final.
package struct RetryPolicy: Sendable, Hashable {
    /// Total attempts per location, at least 1.
    package var attempts: Int
    /// Delay before the second attempt; each later delay doubles, up to `maximumDelay`.
    package var initialDelay: TimeInterval
    package var maximumDelay: TimeInterval

    package init(attempts: Int = 4, initialDelay: TimeInterval = 1, maximumDelay: TimeInterval = 16) {
        self.attempts = max(1, attempts)
        self.initialDelay = max(0, initialDelay)
        self.maximumDelay = max(0, maximumDelay)
    }

    /// Delay before attempt number `attempt + 1`, for `attempt` >= 1.
    func delay(after attempt: Int) -> TimeInterval {
        min(maximumDelay, initialDelay * pow(2, Double(attempt - 1)))
    }
}

/// A source mirror: a local directory or a base URL holding files under their upstream names
/// and under `<algorithm>/<hex>`.
package enum SourceMirror: Sendable, Hashable, CustomStringConvertible {
    case directory(String)
    /// An http, https or file base URL.
    case url(URL)

    /// Reads a `--source-mirror` value: an http(s) or file URL, otherwise a directory path
    /// (relative paths are made absolute against the current directory).
    package init(parsing text: String) throws(FetchError) {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: text), url.host != nil else {
                throw .invalidMirror(text, reason: "not a valid URL")
            }
            self = .url(url)
        } else if lower.hasPrefix("file://") {
            guard let url = URL(string: text), url.isFileURL else {
                throw .invalidMirror(text, reason: "not a valid file URL")
            }
            self = .directory(url.path)
        } else if lower.contains("://") {
            throw .invalidMirror(text, reason: "only http, https and file URLs or directory paths are supported")
        } else if text.isEmpty {
            throw .invalidMirror(text, reason: "empty path")
        } else {
            let absolute = text.hasPrefix("/") ? text : FileManager.default.currentDirectoryPath + "/" + text
            self = .directory(URL(fileURLWithPath: absolute).standardizedFileURL.path)
        }
    }

    /// Reads a list of mirrors separated by whitespace, as an environment variable or a config
    /// file line gives them (`:` cannot separate them: URLs contain it).
    package static func parseList(_ text: String) throws(FetchError) -> [SourceMirror] {
        var mirrors: [SourceMirror] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            mirrors.append(try SourceMirror(parsing: String(word)))
        }
        return mirrors
    }

    package var description: String {
        switch self {
        case .directory(let path): path
        case .url(let url): url.absoluteString
        }
    }

    /// The places a file may be found in this mirror, in lookup order: by name, then by checksum.
    func candidates(fileName: String, checksum: Checksum) -> [URL] {
        let relative = [fileName, "\(checksum.algorithm.rawValue)/\(checksum.hex)"]
        switch self {
        case .directory(let path):
            return relative.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        case .url(let base):
            return relative.map { base.appendingPathComponent($0) }
        }
    }
}
