import Digest
import Foundation
import Scratch

/// A layer cache on a server that speaks the Bazel HTTP cache protocol (nginx or Apache WebDAV,
/// bazel-remote, any HTTP/1.1 server with GET and PUT): signed records at `<url>/ac/<key>`,
/// blobs at `<url>/cas/<sha256>`. It only ever feeds the local layer cache: a restore writes a
/// normal local entry, an upload reads one. See docs/cache.md.
///
/// Neither operation throws: whatever the server does, the result is a `RemoteOutcome`, and
/// nothing half-restored is ever left under the local entry's name.
package struct RemoteLayerCache: Sendable {
    package let settings: RemoteCacheSettings
    /// `<cache>/layers`, the local layer cache's directory.
    package let localLayersDirectory: String
    /// Records are accepted from these: `trusted_keys`, and the uploader's own key, since a
    /// machine that signs layers trusts what it signed.
    private let acceptedKeys: [Ed25519PublicKey]

    package init(settings: RemoteCacheSettings, localLayersDirectory: String) {
        self.settings = settings
        self.localLayersDirectory = localLayersDirectory
        let ownKey = settings.signingKey.flatMap { try? RemoteCacheKeys.publicKey(of: $0) }
        acceptedKeys = settings.trustedKeys + (ownKey.map { [$0] } ?? [])
    }

    /// Brings the layer built under `key` into the local cache, if a trusted key signed it.
    package func restore(key: String) async -> RemoteOutcome {
        let started = ContinuousClock.now
        do throws(RemoteStop) {
            try Self.checkKey(key)
            guard !acceptedKeys.isEmpty else { throw .skipped(.noTrustedKeys) }
            let final = localLayersDirectory + "/" + key
            if FileManager.default.fileExists(atPath: final + "/layer.json") { throw .skipped(.alreadyPresent) }
            let http = RemoteHTTP(settings: settings)
            guard let record = try await fetchRecord(key, http, verifying: true) else { return .miss }
            if let why = record.verify(trusting: acceptedKeys, expectedKey: key) { throw .rejected(why) }

            let scratch = try scratchPath(for: key)
            defer {
                ScratchFiles.remove(scratch)
                ScratchFiles.remove(scratch + ".blob")
            }
            try await fetchBlob(of: record, to: scratch + ".blob", http)
            _ = try LayerBlobExtractor.extract(blob: scratch + ".blob", into: scratch, key: key,
                                               software: record.software, version: record.version)
            try publish(scratch, as: final)
            return .restored(bytes: record.blobSize, seconds: Self.seconds(since: started))
        } catch {
            return error.outcome
        }
    }

    /// Puts the local entry `key` on the server, signed, when uploads are on and the server does
    /// not already have it.
    package func upload(key: String) async -> RemoteOutcome {
        let started = ContinuousClock.now
        do throws(RemoteStop) {
            guard settings.upload else { throw .skipped(.uploadDisabled) }
            try Self.checkKey(key)
            guard let keyPath = settings.signingKey else { throw .skipped(.noSigningKey) }
            let signingKey: Ed25519PrivateKey
            do { signingKey = try RemoteCacheKeys.signingKey(at: keyPath) } catch {
                throw .skipped(.signingKeyUnusable(error.description))
            }
            let entry = localLayersDirectory + "/" + key
            guard FileManager.default.fileExists(atPath: entry + "/layer.json") else { throw .skipped(.noLocalEntry(key: key)) }
            let http = RemoteHTTP(settings: settings)
            if try await alreadyUploaded(key, trusting: settings.trustedKeys + [signingKey.publicKey], http) {
                throw .skipped(.alreadyPresent)
            }

            let blobPath = try scratchPath(for: key) + ".blob"
            defer { ScratchFiles.remove(blobPath) }
            let blob = try LayerBlob.write(entry: entry, key: key, to: blobPath)
            let record: LayerActionRecord
            do {
                record = try LayerActionRecord.signed(key: key, software: blob.layer.software, version: blob.layer.version,
                                                      blobSHA256: blob.sha256, blobSize: blob.size, with: signingKey)
            } catch {
                throw .skipped(.signingKeyUnusable(error.description))
            }
            // The blob first: a reader that finds the record must find its blob.
            try await put(endpoint("cas", blob.sha256), .file(blobPath), http)
            try await put(endpoint("ac", key), .data(Data(record.bytes)), http)
            return .uploaded(bytes: blob.size, seconds: Self.seconds(since: started))
        } catch {
            return error.outcome
        }
    }

    // MARK: - Requests

    /// The record at `/ac/<key>`, nil when the server has none. Unreadable records are
    /// rejections when restoring, and simply replaced when uploading (`verifying: false`).
    private func fetchRecord(_ key: String, _ http: RemoteHTTP, verifying: Bool) async throws(RemoteStop) -> LayerActionRecord? {
        let url = endpoint("ac", key)
        let reply: RemoteHTTP.Reply
        switch await http.get(url, into: .memory(limit: LayerActionRecord.maximumSize)) {
        case .success(let answer): reply = answer
        case .failure(.tooLarge):
            if !verifying { return nil }
            throw .rejected(.malformedRecord(url: url.absoluteString,
                                             reason: "larger than \(LayerActionRecord.maximumSize >> 10) KiB"))
        case .failure(let failure): throw Self.unavailable(failure, url)
        }
        if reply.status == 404 || reply.status == 410 { return nil }
        try Self.check(reply, "GET", url)
        do { return try LayerActionRecord.decode(reply.body, url: url.absoluteString) } catch {
            if !verifying { return nil }
            throw error
        }
    }

    /// Downloads the blob a verified record names, and accepts it only with the signed digest and size.
    private func fetchBlob(of record: LayerActionRecord, to path: String, _ http: RemoteHTTP) async throws(RemoteStop) {
        let url = endpoint("cas", record.blobSHA256)
        let expected = "sha256:\(record.blobSHA256), \(record.blobSize) bytes"
        switch await http.get(url, into: .file(path, limit: record.blobSize)) {
        case .failure(.tooLarge):
            throw .rejected(.blobMismatch(url: url.absoluteString, expected: expected, actual: "more than \(record.blobSize) bytes"))
        case .failure(let failure):
            throw Self.unavailable(failure, url)
        case .success(let reply):
            if reply.status == 404 || reply.status == 410 { throw .unavailable(.blobMissing(url: url.absoluteString)) }
            try Self.check(reply, "GET", url)
            guard reply.received == record.blobSize, reply.sha256 == record.blobSHA256 else {
                throw .rejected(.blobMismatch(url: url.absoluteString, expected: expected,
                                              actual: "sha256:\(reply.sha256 ?? "?"), \(reply.received) bytes"))
            }
        }
    }

    /// A record signed by a trusted key (or this uploader's) whose blob is still there: records
    /// and blobs can expire separately (bazel-remote evicts each on its own), so both are asked for.
    private func alreadyUploaded(_ key: String, trusting keys: [Ed25519PublicKey], _ http: RemoteHTTP) async throws(RemoteStop) -> Bool {
        guard let record = try await fetchRecord(key, http, verifying: false),
              record.verify(trusting: keys, expectedKey: key) == nil else { return false }
        let url = endpoint("cas", record.blobSHA256)
        guard case .success(let reply) = await http.head(url) else { return false }
        return reply.succeeded
    }

    private func put(_ url: URL, _ body: RemoteHTTP.Upload, _ http: RemoteHTTP) async throws(RemoteStop) {
        switch await http.put(url, body) {
        case .failure(let failure): throw Self.unavailable(failure, url)
        case .success(let reply): try Self.check(reply, "PUT", url)
        }
    }

    private func endpoint(_ kind: String, _ name: String) -> URL {
        settings.url.appendingPathComponent(kind).appendingPathComponent(name)
    }

    private static func check(_ reply: RemoteHTTP.Reply, _ method: String, _ url: URL) throws(RemoteStop) {
        if reply.succeeded { return }
        if (300..<400).contains(reply.status) {
            throw .unavailable(.redirected(url: url.absoluteString, location: reply.location ?? "(no Location header)"))
        }
        throw .unavailable(.httpStatus(url: url.absoluteString, method: method, status: reply.status))
    }

    private static func unavailable(_ failure: RemoteHTTP.Failure, _ url: URL) -> RemoteStop {
        switch failure {
        case .timedOut(let seconds): .unavailable(.timedOut(url: url.absoluteString, seconds: seconds))
        case .transport(let reason): .unavailable(.unreachable(url: url.absoluteString, reason: reason))
        case .tooLarge(let limit): .unavailable(.unreachable(url: url.absoluteString, reason: "answered more than \(limit) bytes"))
        case .localIO(let path, let reason): .unavailable(.localIO(path: path, reason: reason))
        case .cancelled: .unavailable(.cancelled)
        }
    }

    // MARK: - Local files

    /// Keys name paths on the server and on disk, so nothing but a SHA-256 in hex is accepted.
    private static func checkKey(_ key: String) throws(RemoteStop) {
        guard key.utf8.count == 64, key.utf8.allSatisfy(LayerActionRecord.isLowerHex) else { throw .skipped(.invalidKey(key)) }
    }

    /// A new name inside `<cache>/layers`, so the finished entry is renamed, never copied, into place.
    private func scratchPath(for key: String) throws(RemoteStop) -> String {
        do { try FileManager.default.createDirectory(atPath: localLayersDirectory, withIntermediateDirectories: true) } catch {
            throw .unavailable(.localIO(path: localLayersDirectory, reason: error.localizedDescription))
        }
        return localLayersDirectory + "/.remote-\(key.prefix(16))-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    private func publish(_ scratch: String, as final: String) throws(RemoteStop) {
        if rename(scratch, final) == 0 { return }
        let code = errno
        // Another run finished the same entry first: an entry is complete once it has its
        // record, so that one stands; a directory without one is leftover and gives way.
        if code == EEXIST || code == ENOTEMPTY {
            if FileManager.default.fileExists(atPath: final + "/layer.json") { return }
            ScratchFiles.remove(final)
            if rename(scratch, final) == 0 { return }
        }
        throw .unavailable(.localIO(path: final, reason: "cannot move the restored entry into place: \(String(cString: strerror(errno)))"))
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
