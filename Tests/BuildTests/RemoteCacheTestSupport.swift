import Archive
import Digest
import Foundation
import OmnibusKit
import Testing

/// What the remote cache tests share: signing keys in files, settings that never read the real
/// environment, and records and blobs written by hand (straight into nginx's root, as a server
/// operator or an attacker with write access would).
enum RemoteCacheTestSupport {
    struct Signer {
        let path: String
        let publicKey: Ed25519PublicKey
    }

    static func signer(in directory: String, name: String = "signing") throws -> Signer {
        let path = directory + "/\(name).pem"
        return Signer(path: path, publicKey: try RemoteCacheKeys.generate(at: path))
    }

    /// Settings whose environment is only `environment` plus a HOME without a netrc, so the
    /// machine's own ~/.netrc or token never leak into a test.
    static func settings(_ url: String, upload: Bool = false, trusting trusted: [Ed25519PublicKey] = [],
                         signingKey: String? = nil, requestTimeout: TimeInterval = 5, operationTimeout: TimeInterval = 60,
                         environment: [String: String] = [:]) throws -> RemoteCacheSettings {
        try RemoteCacheSettings(url: URL(string: url)!, upload: upload, trustedKeys: trusted, signingKey: signingKey,
                                requestTimeout: requestTimeout, operationTimeout: operationTimeout,
                                environment: ["HOME": "/nonexistent"].merging(environment) { _, new in new })
    }

    static func cache(_ url: String, machine: String, upload: Bool = false, trusting trusted: [Ed25519PublicKey] = [],
                      signingKey: String? = nil, requestTimeout: TimeInterval = 5,
                      environment: [String: String] = [:]) throws -> RemoteLayerCache {
        RemoteLayerCache(settings: try settings(url, upload: upload, trusting: trusted, signingKey: signingKey,
                                                requestTimeout: requestTimeout, environment: environment),
                         localLayersDirectory: machine + "/layers")
    }

    /// The record exactly as docs/cache.md describes it, built without the tool's own code, so
    /// a change to the format shows up here as a failure.
    static func record(key: String, software: String, version: String, blob: Data, signer: Signer) throws -> Data {
        let sha256 = try Digests.hex(.sha256, of: blob)
        let privateKey = try RemoteCacheKeys.signingKey(at: signer.path)
        let head = #"{"blob":{"sha256":"\#(sha256)","size":\#(blob.count)},"format":"omnibus-layer-v1","key":"\#(key)","#
        let tail = #""signer":"\#(signer.publicKey.keyID)","software":"\#(software)","version":"\#(version)"}"#
        let signature = try privateKey.sign(Array((head + tail).utf8))
        return Data((head + #""signature":"\#(Data(signature).base64EncodedString())","# + tail + "\n").utf8)
    }

    /// Puts a file into nginx's root, bypassing HTTP.
    static func place(_ data: Data, at relative: String, in server: NginxServer) throws {
        let path = server.root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    struct Member {
        let path: String
        let kind: ArchiveWriteEntry.Kind
        let mode: UInt32
        let data: Data

        static func file(_ path: String, _ text: String, mode: UInt32 = 0o644) -> Member {
            Member(path: path, kind: .file, mode: mode, data: Data(text.utf8))
        }

        static func directory(_ path: String) -> Member { Member(path: path, kind: .directory, mode: 0o755, data: Data()) }
    }

    /// A blob in the layer format (GNU tar, zstd) holding exactly `members`, in order.
    static func blob(_ members: [Member]) throws -> Data {
        var bytes = Data()
        let writer = try ArchiveWriter(format: .gnutar, compression: ArchiveCompression(.zstd)) { bytes.append(contentsOf: $0) }
        for member in members {
            try writer.writeHeader(ArchiveWriteEntry(path: member.path, kind: member.kind, permissions: member.mode,
                                                     size: Int64(member.data.count), modificationTime: 0))
            try member.data.withUnsafeBytes { try writer.writeData($0) }
        }
        try writer.finish()
        return bytes
    }

    /// layer.json for entries given as (path, text) files.
    static func layerJSON(key: String, files: [(String, String)]) throws -> String {
        let entries = try files.map { path, text in
            Layer.Entry(path: path, kind: .file, mode: 0o644, size: Int64(text.utf8.count),
                        sha256: try Digests.hex(.sha256, of: Array(text.utf8)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let layer = Layer(software: LayerEntryFixture.software, version: LayerEntryFixture.version, cacheKey: key, entries: entries)
        return String(decoding: try encoder.encode(layer), as: UTF8.self)
    }

    /// Runs an operation on a thread of its own and times it. The full test suite blocks the
    /// cooperative pool's threads (processes waited for synchronously), which would otherwise
    /// delay the operation's own resumption by seconds and make a bound on its time meaningless.
    static func timed(_ operation: @Sendable () async -> RemoteOutcome) async -> (outcome: RemoteOutcome, seconds: Double) {
        await withTaskExecutorPreference(DedicatedExecutor()) {
            let started = ContinuousClock.now
            let outcome = await operation()
            return (outcome, seconds(since: started))
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// A task executor on a serial dispatch queue, outside the cooperative pool.
final class DedicatedExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "remote-cache-tests")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension RemoteOutcome {
    var rejection: RemoteRejection? {
        if case .rejected(let why) = self { return why }
        return nil
    }

    var unavailability: RemoteUnavailability? {
        if case .unavailable(let why) = self { return why }
        return nil
    }

    var restoredBytes: Int64? {
        if case .restored(let bytes, _) = self { return bytes }
        return nil
    }

    var uploadedBytes: Int64? {
        if case .uploaded(let bytes, _) = self { return bytes }
        return nil
    }
}
