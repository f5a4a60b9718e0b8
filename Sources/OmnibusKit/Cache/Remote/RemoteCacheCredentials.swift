import Foundation

/// What a request to the remote cache authenticates with. The secret never appears in a
/// message: `description` says only the kind and where it came from.
package struct RemoteCacheCredentials: Sendable, Equatable, CustomStringConvertible {
    package enum Scheme: Sendable, Equatable {
        case basic(user: String, password: String)
        case bearer(token: String)
    }

    package let scheme: Scheme
    /// Where it came from, for messages: "the URL", "OMNIBUS_REMOTE_CACHE_TOKEN", "~/.netrc".
    package let origin: String

    package static let tokenVariable = "OMNIBUS_REMOTE_CACHE_TOKEN"

    package init(_ scheme: Scheme, origin: String) {
        self.scheme = scheme
        self.origin = origin
    }

    /// Credentials written in a URL (`https://user:password@host/`), percent-decoded.
    init?(user: String?, password: String?) {
        guard let user, !user.isEmpty else { return nil }
        self.init(.basic(user: user.removingPercentEncoding ?? user,
                         password: password.map { $0.removingPercentEncoding ?? $0 } ?? ""), origin: "the URL")
    }

    /// The `Authorization` header's value.
    var header: String {
        switch scheme {
        case .basic(let user, let password): "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): "Bearer " + token
        }
    }

    package var description: String {
        switch scheme {
        case .basic(let user, _): "basic auth as '\(user)' from \(origin)"
        case .bearer: "a bearer token from \(origin)"
        }
    }

    /// When the URL has none: a bearer token from the environment, else the netrc entry for the
    /// host (`$NETRC`, else `~/.netrc`), else nothing.
    static func lookUp(host: String, environment: [String: String]) -> RemoteCacheCredentials? {
        if let token = environment[tokenVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return RemoteCacheCredentials(.bearer(token: token), origin: tokenVariable)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let path = environment["NETRC"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.netrc"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let login = Netrc(text).login(for: host) else { return nil }
        let shown = path == home + "/.netrc" ? "~/.netrc" : path
        return RemoteCacheCredentials(.basic(user: login.user, password: login.password), origin: shown)
    }
}
