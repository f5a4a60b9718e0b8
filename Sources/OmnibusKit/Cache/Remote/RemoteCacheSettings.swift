import Digest
import Foundation

/// How to use a remote layer cache: where it is, whether to write to it, whom to believe.
/// Read-only unless `upload` is set; nothing is ever accepted without a trusted signature.
package struct RemoteCacheSettings: Sendable {
    /// The base URL, without credentials: records are at `<url>/ac/<key>`, blobs at `<url>/cas/<sha256>`.
    package let url: URL
    /// Upload layers this machine built (needs `signingKey`).
    package var upload: Bool
    /// Keys whose records are accepted; a record signed by any other key is refused.
    package var trustedKeys: [Ed25519PublicKey]
    /// Path of the PEM private key uploads are signed with.
    package var signingKey: String?
    /// Seconds a request may go without any byte moving before it is abandoned.
    package var requestTimeout: TimeInterval
    /// Seconds one restore or upload may take in all, however steadily bytes move.
    package var operationTimeout: TimeInterval
    /// Sent with every request; nil sends none.
    package let credentials: RemoteCacheCredentials?

    package static let defaultRequestTimeout: TimeInterval = 10
    package static let defaultOperationTimeout: TimeInterval = 300

    /// - Parameters:
    ///   - url: an http(s) base URL; `user:password@` in it is taken out and sent as basic auth.
    ///   - environment: where `OMNIBUS_REMOTE_CACHE_TOKEN`, `NETRC` and `HOME` (for `~/.netrc`)
    ///     are looked up when the URL carries no credentials.
    package init(url: URL, upload: Bool = false, trustedKeys: [Ed25519PublicKey] = [], signingKey: String? = nil,
                 requestTimeout: TimeInterval = defaultRequestTimeout,
                 operationTimeout: TimeInterval = defaultOperationTimeout,
                 environment: [String: String] = ProcessInfo.processInfo.environment) throws(RemoteCacheSettingsError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty,
              var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw .invalidURL(url.absoluteString)
        }
        guard requestTimeout > 0, operationTimeout > 0 else {
            throw .invalidTimeout(requestTimeout > 0 ? operationTimeout : requestTimeout)
        }
        let fromURL = RemoteCacheCredentials(user: components.user, password: components.password)
        components.user = nil
        components.password = nil
        // A trailing slash would double up when `/ac/...` is appended.
        while components.path.hasSuffix("/") { components.path.removeLast() }
        components.query = nil
        components.fragment = nil
        guard let bare = components.url else { throw .invalidURL(url.absoluteString) }
        self.url = bare
        self.upload = upload
        self.trustedKeys = trustedKeys
        self.signingKey = signingKey
        self.requestTimeout = requestTimeout
        self.operationTimeout = operationTimeout
        credentials = fromURL ?? RemoteCacheCredentials.lookUp(host: host, environment: environment)
    }

    /// Reads a `--remote-cache` / `OMNIBUS_REMOTE_CACHE` / `remote_cache.url` value.
    package static func parseURL(_ text: String) throws(RemoteCacheSettingsError) -> URL {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)) else { throw .invalidURL(text) }
        return url
    }
}

package enum RemoteCacheSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case invalidTimeout(TimeInterval)

    package var description: String {
        switch self {
        case .invalidURL(let text):
            "'\(text)' is not a remote cache URL: give an http:// or https:// URL with a host, e.g. https://cache.example.com/omnibus"
        case .invalidTimeout(let value):
            "remote cache timeout \(value) is not a positive number of seconds"
        }
    }
}
