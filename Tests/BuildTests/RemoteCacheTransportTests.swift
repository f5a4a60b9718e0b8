import Foundation
import OmnibusKit
import Testing
import TestSupport

/// A server that is down, hangs or wants credentials: the outcome says so, quickly, and nothing
/// is thrown at the build.
@Suite(.serialized, .ownThread, .timeLimit(.minutes(1)))
struct RemoteCacheTransportTests {
    typealias Support = RemoteCacheTestSupport

    @Test func stoppedServerIsUnavailableAtOnce() async throws {
        let server = try NginxServer()
        let url = server.url
        server.stop()
        let machine = try LayerEntryFixture.machine("a")
        defer { LayerEntryFixture.remove(machine) }
        let key = try LayerEntryFixture.key("server down")
        try LayerEntryFixture.makeEntry(cacheDir: machine, key: key)
        let signer = try Support.signer(in: machine)
        let cache = try Support.cache(url, machine: machine, upload: true, trusting: [signer.publicKey], signingKey: signer.path)

        let absent = try LayerEntryFixture.key("not here")
        let (restore, restoreSeconds) = await Support.timed { await cache.restore(key: absent) }
        let (upload, uploadSeconds) = await Support.timed { await cache.upload(key: key) }
        let seconds = restoreSeconds + uploadSeconds
        guard case .unreachable(let where1, _)? = restore.unavailability, case .unreachable? = upload.unavailability else {
            Issue.record("expected the server to be unreachable, got \(restore) and \(upload)")
            return
        }
        #expect(where1.hasPrefix(url + "/ac/"))
        _ = seconds  // No time bound: the outcome says the connection was refused, not timed out.
    }

    @Test func silentServerIsAbandonedWithinTheTimeout() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let machine = try LayerEntryFixture.machine("a")
        defer { LayerEntryFixture.remove(machine) }
        let key = try LayerEntryFixture.key("server hangs")
        try LayerEntryFixture.makeEntry(cacheDir: machine, key: key)
        let signer = try Support.signer(in: machine)

        let cache = try Support.cache(listener.url, machine: machine, upload: true, trusting: [signer.publicKey],
                                      signingKey: signer.path, requestTimeout: 1)
        let absent = try LayerEntryFixture.key("absent")
        for operation in ["restore", "upload"] {
            let (outcome, seconds) = await Support.timed {
                operation == "restore" ? await cache.restore(key: absent) : await cache.upload(key: key)
            }
            #expect(outcome.unavailability == .timedOut(url: listener.url + "/ac/" + (operation == "restore" ? absent : key),
                                                        seconds: 1), "\(operation): \(outcome)")
            // The outcome names the 1 s timeout; only a lower bound on time is safe on a loaded machine.
            #expect(seconds >= 0.9, "\(operation) was abandoned after \(seconds) s, the timeout is 1 s")
        }
        #expect(listener.accepted >= 2, "the listener never saw the requests")

        // The whole operation is bounded too, however patient each request may be.
        let bounded = RemoteLayerCache(settings: try Support.settings(listener.url, trusting: [signer.publicKey],
                                                                      requestTimeout: 30, operationTimeout: 1),
                                       localLayersDirectory: machine + "/layers")
        let (outcome, seconds) = await Support.timed { await bounded.restore(key: absent) }
        #expect(outcome.unavailability == .timedOut(url: listener.url + "/ac/" + absent, seconds: 1), "\(outcome)")
        #expect(seconds >= 0.9, "the operation bound is 1 s, it took \(seconds) s")
        #expect(LayerEntryFixture.leftovers(in: machine).isEmpty)
    }

    @Test func slowDownloadThatKeepsMovingIsNotAbandoned() async throws {
        // About 1.5 MB at 512 KiB/s: three times the timeout in all, never a second without data.
        let server = try NginxServer(locationDirectives: "limit_rate 512k;")
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineB) }
        let key = try LayerEntryFixture.key("slow download")
        try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key)
        let signer = try Support.signer(in: machineA)
        let uploaded = await (try Support.cache(server.url, machine: machineA, upload: true, signingKey: signer.path)).upload(key: key)
        let bytes = try #require(uploaded.uploadedBytes, "\(uploaded)")
        try #require(bytes > 1_000_000, "the blob is too small (\(bytes) bytes) to outlast the timeout")

        let started = ContinuousClock.now
        let restored = await (try Support.cache(server.url, machine: machineB, trusting: [signer.publicKey],
                                                requestTimeout: 1)).restore(key: key)
        #expect(restored.restoredBytes == bytes, "\(restored)")
        #expect(Support.seconds(since: started) > 1.5, "the download was not slowed down, so this test proves nothing")
    }

    @Test func basicAuthFromTheURLOrNetrcAndBearerTokenFromTheEnvironment() async throws {
        let server = try NginxServer(locationDirectives: #"auth_basic "omnibus cache"; auth_basic_user_file htpasswd;"#,
                                     files: ["htpasswd": "ci:{PLAIN}s3cret\n"])
        defer { server.stop() }
        let machineA = try LayerEntryFixture.machine("a"), machineB = try LayerEntryFixture.machine("b")
        defer { LayerEntryFixture.remove(machineA); LayerEntryFixture.remove(machineB) }
        let key = try LayerEntryFixture.key("with credentials")
        try LayerEntryFixture.makeEntry(cacheDir: machineA, key: key)
        let signer = try Support.signer(in: machineA)
        let withPassword = "http://ci:s3cret@127.0.0.1:\(server.port)/omnibus"

        let anonymous = await (try Support.cache(server.url + "/omnibus", machine: machineA, upload: true,
                                                 signingKey: signer.path)).upload(key: key)
        guard case .httpStatus(_, "GET", 401)? = anonymous.unavailability else {
            Issue.record("expected HTTP 401 without credentials, got \(anonymous)")
            return
        }
        #expect(anonymous.description.contains("OMNIBUS_REMOTE_CACHE_TOKEN"))
        let wrong = await (try Support.cache("http://ci:guess@127.0.0.1:\(server.port)/omnibus", machine: machineA,
                                             upload: true, signingKey: signer.path)).upload(key: key)
        #expect(wrong.unavailability?.description.contains("401") == true, "\(wrong)")

        let uploader = try Support.cache(withPassword, machine: machineA, upload: true, signingKey: signer.path)
        #expect(uploader.settings.url.absoluteString == server.url + "/omnibus")
        #expect(!uploader.settings.credentials!.description.contains("s3cret"))
        let uploaded = await uploader.upload(key: key)
        #expect(uploaded.uploadedBytes != nil, "\(uploaded)")

        let netrc = machineB + "/netrc"
        try "machine example.com login nobody password nothing\nmachine 127.0.0.1\n  login ci\n  password \"s3cret\"\n"
            .write(toFile: netrc, atomically: true, encoding: .utf8)
        let reader = try Support.cache(server.url + "/omnibus", machine: machineB, trusting: [signer.publicKey],
                                       environment: ["NETRC": netrc])
        #expect(reader.settings.credentials == RemoteCacheCredentials(.basic(user: "ci", password: "s3cret"), origin: netrc))
        let restored = await reader.restore(key: key)
        #expect(restored.restoredBytes == uploaded.uploadedBytes, "\(restored)")

        let tokenServer = try NginxServer(locationDirectives: #"if ($http_authorization != "Bearer t0ken") { return 401; }"#)
        defer { tokenServer.stop() }
        let withToken = try Support.cache(tokenServer.url, machine: machineA, upload: true, signingKey: signer.path,
                                          environment: ["OMNIBUS_REMOTE_CACHE_TOKEN": "t0ken", "NETRC": netrc])
        #expect(withToken.settings.credentials?.origin == "OMNIBUS_REMOTE_CACHE_TOKEN")
        let byToken = await withToken.upload(key: key)
        #expect(byToken.uploadedBytes != nil, "\(byToken)")
        let noToken = await (try Support.cache(tokenServer.url, machine: machineA, upload: true, signingKey: signer.path)).upload(key: key)
        #expect(noToken.unavailability?.description.contains("HTTP 401") == true, "\(noToken)")
    }
}
