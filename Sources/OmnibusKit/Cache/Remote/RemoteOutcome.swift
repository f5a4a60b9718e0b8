/// What a remote cache operation did. Never an error to the build: whatever happened to the
/// server, the build goes on (building what it could not restore), and the outcome says why.
package enum RemoteOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The entry is now in the local layer cache; `bytes` is the blob's size.
    case restored(bytes: Int64, seconds: Double)
    /// The server has no record for the key.
    case miss
    /// The server answered with something that must not be used; no entry was created.
    case rejected(RemoteRejection)
    /// The server could not be used (down, slow, refusing, misconfigured) or the local side failed.
    case unavailable(RemoteUnavailability)
    /// The blob and its signed record are on the server; `bytes` is the blob's size.
    case uploaded(bytes: Int64, seconds: Double)
    /// Nothing was attempted, by configuration or because nothing needed doing.
    case skipped(RemoteSkip)

    package var description: String {
        switch self {
        case .restored(let bytes, let seconds): "restored from the remote cache (\(Self.size(bytes)) in \(Self.time(seconds)))"
        case .miss: "not in the remote cache"
        case .rejected(let why): "remote cache entry refused: \(why)"
        case .unavailable(let why): "remote cache unavailable: \(why)"
        case .uploaded(let bytes, let seconds): "uploaded to the remote cache (\(Self.size(bytes)) in \(Self.time(seconds)))"
        case .skipped(let why): "remote cache skipped: \(why)"
        }
    }

    static func size(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? "\(max(1, (bytes + 1023) / 1024)) KiB" : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    static func time(_ seconds: Double) -> String { String(format: "%.1f s", seconds) }
}

/// Why a record or blob from the server was not used. Each one means the server holds something
/// this reader must not trust; none of them leaves anything in the local cache.
package enum RemoteRejection: Sendable, Equatable, CustomStringConvertible {
    /// The record is not JSON in the expected shape, or is in a format this omnibus cannot read.
    case malformedRecord(url: String, reason: String)
    /// Signed by a key that is not in `trusted_keys`.
    case unknownSigner(keyID: String)
    /// Claims a trusted key, but the signature does not verify: altered after signing.
    case badSignature(keyID: String)
    /// Correctly signed, but for another key, software or version than asked for.
    case recordMismatch(String)
    /// The blob's bytes are not the ones the record signs.
    case blobMismatch(url: String, expected: String, actual: String)
    /// The blob does not hold exactly the layer its own record describes.
    case invalidBlob(String)

    package var description: String {
        switch self {
        case .malformedRecord(let url, let reason):
            "\(url) is not a layer record omnibus can read (\(reason)); an upload with a trusted key replaces it"
        case .unknownSigner(let keyID):
            "the record is signed by key \(keyID), which is not in remote_cache.trusted_keys; if you trust that key, "
                + "add its public key (omnibus cache keygen prints it) to trusted_keys"
        case .badSignature(let keyID):
            "the record's signature does not verify with trusted key \(keyID): the record was changed after it was signed"
        case .recordMismatch(let what):
            what
        case .blobMismatch(let url, let expected, let actual):
            "\(url) is not the blob the signed record names (expected \(expected), got \(actual)): "
                + "it was altered or damaged on the server"
        case .invalidBlob(let what):
            "the blob does not match its layer record: \(what)"
        }
    }
}

/// Why the server could not be used; the build goes on without it.
package enum RemoteUnavailability: Sendable, Equatable, CustomStringConvertible {
    /// No connection (refused, unknown host, TLS failure...): `reason` is the transport's message.
    case unreachable(url: String, reason: String)
    /// No byte moved for the per-request timeout, or the whole operation passed its bound.
    case timedOut(url: String, seconds: Double)
    case httpStatus(url: String, method: String, status: Int)
    /// The server redirected; redirects are not followed so credentials never leave the cache's URL.
    case redirected(url: String, location: String)
    /// A signed record names a blob the server does not have (expired, or deleted separately).
    case blobMissing(url: String)
    /// Local files could not be written or read.
    case localIO(path: String, reason: String)
    case cancelled

    package var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return "cannot reach \(url): \(reason)"
        case .timedOut(let url, let seconds):
            return "\(url) did not answer within \(RemoteOutcome.time(seconds)) (remote_cache timeout)"
        case .httpStatus(let url, let method, let status):
            return "\(method) \(url) answered HTTP \(status)" + Self.hint(method: method, status: status, url: url)
        case .redirected(let url, let location):
            return "\(url) redirects to \(location); redirects are not followed, give the final URL as the remote cache URL"
        case .blobMissing(let url):
            return "the record names \(url), which the server does not have (expired or deleted); "
                + "the next upload from CI puts it back"
        case .localIO(let path, let reason):
            return "\(path): \(reason)"
        case .cancelled:
            return "interrupted"
        }
    }

    private static func hint(method: String, status: Int, url: String) -> String {
        switch status {
        case 401: "; credentials are missing or wrong: give them in the URL (https://user:password@host/...), "
            + "OMNIBUS_REMOTE_CACHE_TOKEN (bearer token) or ~/.netrc"
        case 403: "; the credentials are not allowed to \(method == "PUT" ? "write" : "read") there"
        case 400 where method == "PUT" && url.contains("/ac/"):
            "; bazel-remote refuses records that are not Bazel ActionResults unless started with --disable_http_ac_validation"
        case 405 where method == "PUT", 501 where method == "PUT":
            "; the server does not accept PUT (nginx needs 'dav_methods PUT;', Apache 'Dav On')"
        case 409 where method == "PUT": "; the server cannot create the directory (nginx needs 'create_full_put_path on;')"
        case 413: "; the server limits upload sizes (nginx: 'client_max_body_size 0;')"
        default: ""
        }
    }
}

/// Why nothing was attempted.
package enum RemoteSkip: Sendable, Equatable, CustomStringConvertible {
    case uploadDisabled
    case noSigningKey
    case signingKeyUnusable(String)
    case noTrustedKeys
    /// The local cache has no entry to upload.
    case noLocalEntry(key: String)
    /// The local entry no longer matches its own record (edited or damaged on disk), so it is not shared.
    case localEntryUnusable(String)
    /// Restore: the local cache already has the entry. Upload: the server already has a record
    /// signed by a trusted key (or this one).
    case alreadyPresent
    case invalidKey(String)

    package var description: String {
        switch self {
        case .uploadDisabled: "uploads are off (--remote-cache-upload or remote_cache.upload turns them on)"
        case .noSigningKey: "uploads need a signing key (remote_cache.signing_key; omnibus cache keygen makes one)"
        case .signingKeyUnusable(let why): "the signing key cannot be used: \(why)"
        case .noTrustedKeys: "no record could be accepted: remote_cache.trusted_keys is empty and there is no signing key"
        case .noLocalEntry(let key): "the local layer cache has no entry \(key)"
        case .localEntryUnusable(let why): "the local entry is not uploaded: \(why)"
        case .alreadyPresent: "already there"
        case .invalidKey(let key): "'\(key)' is not a layer cache key (64 lowercase hex digits)"
        }
    }
}
