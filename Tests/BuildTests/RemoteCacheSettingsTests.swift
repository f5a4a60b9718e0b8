import Digest
import Foundation
import OmnibusKit
import Testing
import TestSupport

/// Settings, keys and credentials, before any request: read-only and trusting no one unless told,
/// keys that openssl agrees with, and credentials taken in a fixed order without ever being shown.
@Suite(.ownThread, .timeLimit(.minutes(1)))
struct RemoteCacheSettingsTests {
    typealias Support = RemoteCacheTestSupport
    /// Port 9 (discard) on loopback: never listened to here, and never contacted by these tests.
    static let nowhere = "http://127.0.0.1:9/cache"

    @Test func readOnlyAndTrustingNoOneByDefault() async throws {
        let machine = try LayerEntryFixture.machine("a")
        defer { LayerEntryFixture.remove(machine) }
        let key = try LayerEntryFixture.key("defaults")
        try LayerEntryFixture.makeEntry(cacheDir: machine, key: key)
        let signer = try Support.signer(in: machine)

        let plain = try Support.cache(Self.nowhere, machine: machine)
        #expect(plain.settings.upload == false)
        #expect(await plain.upload(key: key) == .skipped(.uploadDisabled))
        #expect(await plain.restore(key: key) == .skipped(.noTrustedKeys))
        #expect(await (try Support.cache(Self.nowhere, machine: machine, upload: true)).upload(key: key) == .skipped(.noSigningKey))

        try "not a key".write(toFile: machine + "/garbage.pem", atomically: true, encoding: .utf8)
        let garbage = await (try Support.cache(Self.nowhere, machine: machine, upload: true,
                                               signingKey: machine + "/garbage.pem")).upload(key: key)
        guard case .skipped(.signingKeyUnusable(let why)) = garbage else {
            Issue.record("expected an unusable signing key, got \(garbage)")
            return
        }
        #expect(why.contains("garbage.pem"))

        let writer = try Support.cache(Self.nowhere, machine: machine, upload: true, trusting: [signer.publicKey],
                                       signingKey: signer.path)
        #expect(await writer.upload(key: "../../etc") == .skipped(.invalidKey("../../etc")))
        #expect(await writer.restore(key: key.uppercased()) == .skipped(.invalidKey(key.uppercased())))
        let unknown = try LayerEntryFixture.key("never cached")
        #expect(await writer.upload(key: unknown) == .skipped(.noLocalEntry(key: unknown)))
        #expect(await writer.restore(key: key) == .skipped(.alreadyPresent))
    }

    @Test func urlsAndTimeoutsAreChecked() throws {
        let settings = try Support.settings("https://ci:p%40ss@cache.example.com:8443/omnibus/?x=1")
        #expect(settings.url.absoluteString == "https://cache.example.com:8443/omnibus")
        #expect(settings.credentials == RemoteCacheCredentials(.basic(user: "ci", password: "p@ss"), origin: "the URL"))

        let defaults = try RemoteCacheSettings(url: URL(string: Self.nowhere)!, environment: ["HOME": "/nonexistent"])
        #expect(defaults.upload == false && defaults.trustedKeys.isEmpty && defaults.signingKey == nil)
        #expect(defaults.requestTimeout == 10 && defaults.operationTimeout == 300)

        #expect(throws: RemoteCacheSettingsError.invalidURL("ftp://cache.example.com")) {
            try Support.settings("ftp://cache.example.com")
        }
        #expect(throws: RemoteCacheSettingsError.self) { try Support.settings("http:///no-host") }
        #expect(throws: RemoteCacheSettingsError.invalidTimeout(0)) { try Support.settings(Self.nowhere, requestTimeout: 0) }
    }

    @Test func keysAreGeneratedPrivateAndAgreeWithOpenSSL() async throws {
        let dir = try LayerEntryFixture.machine("keys")
        defer { LayerEntryFixture.remove(dir) }
        let path = dir + "/ci.pem"
        let publicKey = try RemoteCacheKeys.generate(at: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try RemoteCacheKeys.publicKey(of: path) == publicKey)
        #expect(publicKey.keyID == String(try Digests.hex(.sha256, of: publicKey.raw).prefix(16)))
        do {
            try RemoteCacheKeys.generate(at: path)
            Issue.record("an existing key was overwritten")
        } catch {
            #expect(error.description.contains("already exists"))
        }

        // openssl reads the key omnibus wrote and derives the same public key.
        let pubout = try await CommandResult.run(["openssl", "pkey", "-in", path, "-pubout"])
        #expect(pubout.stdout == publicKey.pem)

        try publicKey.hex.write(toFile: dir + "/ci.hex", atomically: true, encoding: .utf8)
        try publicKey.pem.write(toFile: dir + "/ci.pub", atomically: true, encoding: .utf8)
        #expect(try RemoteCacheKeys.trustedKey(publicKey.hex, relativeTo: "/") == publicKey)
        #expect(try RemoteCacheKeys.trustedKey(publicKey.hex.uppercased(), relativeTo: "/") == publicKey)
        #expect(try RemoteCacheKeys.trustedKey(publicKey.pem, relativeTo: "/") == publicKey)
        #expect(try RemoteCacheKeys.trustedKey("ci.hex", relativeTo: dir) == publicKey)
        #expect(try RemoteCacheKeys.trustedKey(dir + "/ci.pub", relativeTo: "/elsewhere") == publicKey)
        #expect(try RemoteCacheKeys.trustedKey("ci.pem", relativeTo: dir) == publicKey)
        #expect(throws: RemoteCacheKeyError.self) { try RemoteCacheKeys.trustedKey("not-a-key", relativeTo: dir) }
        #expect(throws: RemoteCacheKeyError.self) { try RemoteCacheKeys.signingKey(at: dir + "/ci.pub") }
        #expect(throws: RemoteCacheKeyError.self) { try RemoteCacheKeys.signingKey(at: dir + "/missing.pem") }
    }

    @Test func credentialsComeFromTheURLThenTheTokenThenNetrc() throws {
        let home = try LayerEntryFixture.machine("home")
        defer { LayerEntryFixture.remove(home) }
        try """
            # comments are words too, and are skipped like any unknown word
            machine other.example.com login someone password else
            macdef init
            login trap password trap

            machine CACHE.example.com
                login builder
                password "with space"
            default login anonymous password guest
            """.write(toFile: home + "/.netrc", atomically: true, encoding: .utf8)
        let environment = ["HOME": home]

        let fromNetrc = try Support.settings("https://cache.example.com/x", environment: environment)
        #expect(fromNetrc.credentials == RemoteCacheCredentials(.basic(user: "builder", password: "with space"), origin: "~/.netrc"))
        #expect(fromNetrc.credentials?.description == "basic auth as 'builder' from ~/.netrc")
        let fromDefault = try Support.settings("https://unknown.example.com/x", environment: environment)
        #expect(fromDefault.credentials == RemoteCacheCredentials(.basic(user: "anonymous", password: "guest"), origin: "~/.netrc"))

        let token = environment.merging(["OMNIBUS_REMOTE_CACHE_TOKEN": " abc.def \n"]) { _, new in new }
        let fromToken = try Support.settings("https://cache.example.com/x", environment: token)
        #expect(fromToken.credentials == RemoteCacheCredentials(.bearer(token: "abc.def"), origin: "OMNIBUS_REMOTE_CACHE_TOKEN"))
        #expect(fromToken.credentials?.description.contains("abc") == false)

        let fromURL = try Support.settings("https://me:pw@cache.example.com/x", environment: token)
        #expect(fromURL.credentials == RemoteCacheCredentials(.basic(user: "me", password: "pw"), origin: "the URL"))

        #expect(try Support.settings("https://cache.example.com/x").credentials == nil)
    }
}
