import Digest
import Foundation
import OmnibusKit
import Testing
import TestSupport

/// A layer uploaded from one machine's cache and restored into another's, through a real nginx
/// with WebDAV PUT.
@Suite(.serialized, .ownThread, .timeLimit(.minutes(1)))
struct RemoteCacheRoundTripTests {
    typealias Support = RemoteCacheTestSupport

    @Test func uploadedEntryIsRestoredByteForByteOnAnotherMachine() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineB) }
        let key = try LayerEntryFixture.key("round trip")
        let entryA = try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key)
        let signer = try Support.signer(in: machineA)
        let base = server.url + "/omnibus"

        let uploader = try Support.cache(base, machine: machineA, upload: true, signingKey: signer.path)
        let uploaded = await uploader.upload(key: key)
        let bytes = try #require(uploaded.uploadedBytes, "\(uploaded)")
        #expect(FileManager.default.fileExists(atPath: server.root + "/omnibus/ac/" + key))
        #expect(LayerEntryFixture.leftovers(in: machineA).isEmpty)

        let reader = try Support.cache(base, machine: machineB, trusting: [signer.publicKey])
        #expect(await reader.restore(key: try LayerEntryFixture.key("never built")) == .miss)
        let restored = await reader.restore(key: key)
        #expect(restored.restoredBytes == bytes, "\(restored)")

        let entryB = machineB + "/layers/" + key
        let expected = try LayerEntryFixture.fingerprint(of: entryA), actual = try LayerEntryFixture.fingerprint(of: entryB)
        #expect(actual == expected, "differs: \(actual.filter { !expected.contains($0) }) instead of \(expected.filter { !actual.contains($0) })")
        // The fingerprint holds modes and links; these are the ones a careless extraction loses.
        let fingerprint = try LayerEntryFixture.fingerprint(of: entryB).joined(separator: "\n")
        #expect(fingerprint.contains("bin/helper file 04755"))
        #expect(fingerprint.contains("bin/tool-again file 0755 20"))
        #expect(fingerprint.contains("linked to bin/tool"))
        #expect(fingerprint.contains("share/tool symlink 0777 0 /opt/demo/bin/tool"))
        #expect(fingerprint.contains("etc/readonly directory 0555"))
        #expect(LayerEntryFixture.leftovers(in: machineB).isEmpty)
        #expect(await reader.restore(key: key) == .skipped(.alreadyPresent))

        // A machine that signs trusts its own records without listing its key.
        let machineC = try LayerEntryFixture.machine("c")
        defer { LayerEntryFixture.remove(machineC) }
        let ownReader = try Support.cache(base, machine: machineC, signingKey: signer.path)
        #expect(ownReader.settings.trustedKeys.isEmpty)
        let own = await ownReader.restore(key: key)
        #expect(own.restoredBytes == bytes, "\(own)")
    }

    @Test func sameEntryAlwaysGivesTheSameBlob() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineC = try LayerEntryFixture.machine("c")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineC) }
        let key = try LayerEntryFixture.key("deterministic")
        // Same layer, written at another time into other inodes: nothing of that may reach the blob.
        try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key, time: 1_700_000_000)
        try LayerEntryFixture.makeEntry(cacheDir: machineC, key: key, time: 1_500_000_000)
        let signer = try Support.signer(in: machineA)

        let fromA = try Support.cache(server.url + "/one", machine: machineA, upload: true, signingKey: signer.path)
        let fromC = try Support.cache(server.url + "/two", machine: machineC, upload: true, signingKey: signer.path)
        let first = await fromA.upload(key: key), second = await fromC.upload(key: key)
        #expect(first.uploadedBytes != nil, "\(first)")
        #expect(second.uploadedBytes == first.uploadedBytes, "\(second)")

        let recordOne = try Self.record(server.root + "/one/ac/" + key)
        let recordTwo = try Self.record(server.root + "/two/ac/" + key)
        let digest = try #require(recordOne.blob["sha256"] as? String)
        #expect(recordTwo.blob["sha256"] as? String == digest)
        let blobOne = try Data(contentsOf: URL(fileURLWithPath: server.root + "/one/cas/" + digest))
        let blobTwo = try Data(contentsOf: URL(fileURLWithPath: server.root + "/two/cas/" + digest))
        #expect(blobOne == blobTwo)
        #expect(try Digests.hex(.sha256, of: blobOne) == digest)
        #expect(recordOne.blob["size"] as? Int == blobOne.count)

        #expect(await fromA.upload(key: key) == .skipped(.alreadyPresent))
        // Servers evict blobs and records separately; a record whose blob is gone is uploaded again.
        try FileManager.default.removeItem(atPath: server.root + "/one/cas/" + digest)
        let again = await fromA.upload(key: key)
        #expect(again.uploadedBytes == first.uploadedBytes, "\(again)")
        #expect(FileManager.default.fileExists(atPath: server.root + "/one/cas/" + digest))
    }

    @Test func damagedLocalEntryIsNotUploaded() async throws {
        let server = try NginxServer()
        defer { server.stop() }
        let machine = try LayerEntryFixture.machine("a")
        defer { LayerEntryFixture.remove(machine) }
        let key = try LayerEntryFixture.key("damaged")
        let entry = try LayerEntryFixture.makeEntry(cacheDir: machine, key: key)
        let signer = try Support.signer(in: machine)
        // Same size, other bytes: only the digest can tell.
        try Data("#!/bin/sh\necho evil\n".utf8).write(to: URL(fileURLWithPath: entry + "/tree/bin/tool"))

        let outcome = await (try Support.cache(server.url, machine: machine, upload: true, signingKey: signer.path)).upload(key: key)
        guard case .skipped(.localEntryUnusable(let why)) = outcome else {
            Issue.record("expected the upload to be skipped, got \(outcome)")
            return
        }
        #expect(why.contains("bin/tool"))
        #expect(!FileManager.default.fileExists(atPath: server.root + "/ac/" + key))
        #expect(LayerEntryFixture.leftovers(in: machine).isEmpty)
    }

    private static func record(_ path: String) throws -> (fields: [String: Any], blob: [String: Any]) {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let fields = try #require(object as? [String: Any])
        return (fields, try #require(fields["blob"] as? [String: Any]))
    }
}
