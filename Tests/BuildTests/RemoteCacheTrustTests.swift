import Digest
import Foundation
import OmnibusKit
import Testing
import TestSupport

/// Whoever can write to the server cannot put anything into a reader's cache: altered blobs,
/// records from unknown or altered signers, and signed blobs that disagree with their own layer
/// record are all refused, and no entry appears.
@Suite(.serialized, .ownThread, .timeLimit(.minutes(1)))
struct RemoteCacheTrustTests {
    typealias Support = RemoteCacheTestSupport

    @Test func blobAlteredOnTheServerIsRefused() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineB) }
        let key = try LayerEntryFixture.key("altered blob")
        try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key)
        let signer = try Support.signer(in: machineA)
        let uploaded = await (try Support.cache(server.url, machine: machineA, upload: true, signingKey: signer.path)).upload(key: key)
        #expect(uploaded.uploadedBytes != nil, "\(uploaded)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: server.root + "/ac/" + key))) as? [String: Any]
        let digest = try #require((record?["blob"] as? [String: Any])?["sha256"] as? String)
        let blobPath = server.root + "/cas/" + digest
        let original = try Data(contentsOf: URL(fileURLWithPath: blobPath))
        let reader = try Support.cache(server.url, machine: machineB, trusting: [signer.publicKey])

        var flipped = original
        flipped[flipped.count / 2] ^= 0x40
        try flipped.write(to: URL(fileURLWithPath: blobPath))
        let sameSize = await reader.restore(key: key)
        guard case .blobMismatch(_, let expected, let actual)? = sameSize.rejection else {
            Issue.record("expected a refused blob, got \(sameSize)")
            return
        }
        #expect(expected.contains(digest) && !actual.contains(digest))
        Self.expectNoEntry(key, in: machineB)

        try (original + Data("trailing".utf8)).write(to: URL(fileURLWithPath: blobPath))
        let longer = await reader.restore(key: key)
        guard case .blobMismatch? = longer.rejection else {
            Issue.record("expected a refused blob, got \(longer)")
            return
        }
        Self.expectNoEntry(key, in: machineB)

        try FileManager.default.removeItem(atPath: blobPath)
        #expect(await reader.restore(key: key) == .unavailable(.blobMissing(url: server.url + "/cas/" + digest)))
        Self.expectNoEntry(key, in: machineB)

        try original.write(to: URL(fileURLWithPath: blobPath))
        let restored = await reader.restore(key: key)
        #expect(restored.restoredBytes == Int64(original.count), "\(restored)")
    }

    @Test func recordFromAnUnknownOrAlteredSignerIsIgnored() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineB) }
        let key = try LayerEntryFixture.key("unknown signer")
        try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key)
        let stranger = try Support.signer(in: machineA, name: "stranger")
        let ci = try Support.signer(in: machineA, name: "ci")
        let byStranger = await (try Support.cache(server.url, machine: machineA, upload: true, signingKey: stranger.path)).upload(key: key)
        #expect(byStranger.uploadedBytes != nil, "\(byStranger)")

        let reader = try Support.cache(server.url, machine: machineB, trusting: [ci.publicKey])
        #expect(await reader.restore(key: key) == .rejected(.unknownSigner(keyID: stranger.publicKey.keyID)))
        Self.expectNoEntry(key, in: machineB)

        // Trusted signer, one field changed afterwards.
        let trustsStranger = try Support.cache(server.url, machine: machineB, trusting: [ci.publicKey, stranger.publicKey])
        let recordPath = server.root + "/ac/" + key
        let genuine = try String(contentsOfFile: recordPath, encoding: .utf8)
        let edited = genuine.replacingOccurrences(of: #""version":"1.2.3""#, with: #""version":"1.2.4""#)
        try #require(edited != genuine)
        try edited.write(toFile: recordPath, atomically: true, encoding: .utf8)
        #expect(await trustsStranger.restore(key: key) == .rejected(.badSignature(keyID: stranger.publicKey.keyID)))
        Self.expectNoEntry(key, in: machineB)

        // A genuine record copied under another key.
        let otherKey = try LayerEntryFixture.key("another layer")
        try Support.place(Data(genuine.utf8), at: "ac/" + otherKey, in: server)
        guard case .recordMismatch? = (await trustsStranger.restore(key: otherKey)).rejection else {
            Issue.record("a record moved to another key was not refused")
            return
        }
        Self.expectNoEntry(otherKey, in: machineB)

        try Support.place(Data("<html>not a record</html>".utf8), at: "ac/" + key, in: server)
        guard case .malformedRecord? = (await trustsStranger.restore(key: key)).rejection else {
            Issue.record("a page that is not a record was not refused")
            return
        }

        // The trusted uploader replaces what it does not trust, and the reader gets the layer.
        let byCI = await (try Support.cache(server.url, machine: machineA, upload: true, trusting: [ci.publicKey],
                                            signingKey: ci.path)).upload(key: key)
        #expect(byCI.uploadedBytes != nil, "\(byCI)")
        let restored = await reader.restore(key: key)
        #expect(restored.restoredBytes != nil, "\(restored)")
    }

    @Test func signedBlobThatDisagreesWithItsLayerRecordIsRefused() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineB) }
        let signer = try Support.signer(in: machineB)
        let reader = try Support.cache(server.url, machine: machineB, trusting: [signer.publicKey])

        func publish(_ label: String, members: (String) throws -> [Support.Member]) throws -> String {
            let key = try LayerEntryFixture.key(label)
            let blob = try Support.blob(members(key))
            try Support.place(blob, at: "cas/" + Digests.hex(.sha256, of: blob), in: server)
            try Support.place(Support.record(key: key, software: LayerEntryFixture.software, version: LayerEntryFixture.version,
                                             blob: blob, signer: signer), at: "ac/" + key, in: server)
            return key
        }
        func expectRefused(_ key: String, mentioning text: String) async {
            let outcome = await reader.restore(key: key)
            guard case .invalidBlob(let why)? = outcome.rejection else {
                Issue.record("expected an invalid blob, got \(outcome)")
                return
            }
            #expect(why.contains(text), "\(why)")
            Self.expectNoEntry(key, in: machineB)
        }

        // Control: a hand-made blob and record in the documented format are accepted.
        let good = try publish("good") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("hello", "hello\n")])), .directory("tree"),
             .file("tree/hello", "hello\n")]
        }
        let restored = await reader.restore(key: good)
        #expect(restored.restoredBytes != nil, "\(restored)")
        #expect(try String(contentsOfFile: machineB + "/layers/\(good)/tree/hello", encoding: .utf8) == "hello\n")

        let otherContent = try publish("other content") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("hello", "hello\n")])), .directory("tree"),
             .file("tree/hello", "HELLO\n")]
        }
        await expectRefused(otherContent, mentioning: "hello has SHA-256")

        let escaping = try publish("escaping member") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("hello", "hello\n")])), .directory("tree"),
             .file("tree/hello", "hello\n"), .file("tree/../../escaped", "gotcha\n")]
        }
        await expectRefused(escaping, mentioning: "is not in the layer record")
        #expect(!FileManager.default.fileExists(atPath: machineB + "/escaped"))
        #expect(!FileManager.default.fileExists(atPath: machineB + "/layers/escaped"))

        let escapingRecord = try publish("escaping record") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("../escaped", "gotcha\n")])), .directory("tree")]
        }
        await expectRefused(escapingRecord, mentioning: "leaves the tree")

        let missing = try publish("missing file") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("hello", "hello\n"), ("world", "world\n")])),
             .directory("tree"), .file("tree/hello", "hello\n")]
        }
        await expectRefused(missing, mentioning: "tree/world missing")

        let setuid = try publish("unexpected mode") { key in
            [.file("layer.json", try Support.layerJSON(key: key, files: [("hello", "hello\n")])), .directory("tree"),
             .file("tree/hello", "hello\n", mode: 0o4755)]
        }
        await expectRefused(setuid, mentioning: "mode 04755")
    }

    private static func expectNoEntry(_ key: String, in machine: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!FileManager.default.fileExists(atPath: machine + "/layers/" + key), sourceLocation: sourceLocation)
        #expect(LayerEntryFixture.leftovers(in: machine).isEmpty, sourceLocation: sourceLocation)
    }
}
