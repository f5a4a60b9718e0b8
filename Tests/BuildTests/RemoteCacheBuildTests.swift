import Foundation
import Testing

/// The remote cache as CI and developers use it, through `omnibus build` against a real nginx:
/// machine A (its own cache dir) builds and uploads, machine B (an empty cache dir) restores every
/// layer from the server and writes byte-identical packages; a server that goes away or stalls
/// never fails a build.
@Suite(.serialized) struct RemoteCacheBuildTests {
    static let hasNginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].contains { FileManager.default.isExecutableFile(atPath: $0) }

    /// Three software in a chain, with real compiled code, so layers hold ELF files and links.
    func project(_ repo: TestRepository) throws {
        try repo.write("src/lib/lib.c", "int lib_answer(void) { return 42; }\n")
        try repo.localSoftware("lib", steps: [
            #"mkdir: "{{embedded}}/lib""#,
            #"run: "cc -shared -fPIC $CFLAGS -o $DESTDIR{{embedded}}/lib/liblib.so lib.c""#,
        ])
        try repo.write("src/app/main.c", "int lib_answer(void);\nint main(void) { return lib_answer() == 42 ? 0 : 1; }\n")
        try repo.localSoftware("app", dependencies: ["lib"], steps: [
            #"mkdir: "{{embedded}}/bin""#,
            #"run: "cc $CFLAGS -o $DESTDIR{{embedded}}/bin/app main.c $LDFLAGS -L$DESTDIR{{embedded}}/lib -llib""#,
            #"link: { target: ../embedded/bin/app, path: "{{install_dir}}/bin/app" }"#,
        ])
        try repo.localSoftware("data", steps: [#"mkdir: "{{embedded}}/share""#, #"run: "seq 1 100000 > $DESTDIR{{embedded}}/share/numbers""#])
        try repo.project(dependencies: ["app", "data"])
    }

    func build(_ repo: TestRepository, cache: String, output: String, _ extra: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await CommandResult.run([OmnibusBinaryPath.path, "build", "app", "--root", repo.root, "--work-dir", cache + "/work",
                               "--cache-dir", cache, "--output-dir", output] + extra,
                              environment: ["OMNIBUS_LIBRARY": repo.root + "/no-library", "SOURCE_DATE_EPOCH": "1700000000"].merging(environment) { $1 })
    }

    static func digests(_ directory: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasSuffix(".json") {
            result[name] = String(try await CommandResult.run(["sha256sum", directory + "/" + name]).stdout.prefix(64))
        }
        return result
    }

    @Test(.enabled(if: hasNginx, "nginx is not installed (.ci/debian-packages lists it)"))
    func machineBRestoresEveryLayerFromWhatMachineAUploaded() async throws {
        let repo = try TestRepository("remote-ab")
        try project(repo)
        let nginx = try NginxServer()
        let keygen = try await CommandResult.run([OmnibusBinaryPath.path, "cache", "keygen", repo.root + "/ci.key"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let publicKey = try #require(keygen.stdout.split(separator: "\n").first { $0.hasPrefix("public key:") }?.split(separator: " ").last.map(String.init))
        let url = nginx.url + "/omnibus"

        let machineA = try await build(repo, cache: repo.root + "/cache-a", output: repo.root + "/pkg-a",
                                 ["--remote-cache", url, "--remote-cache-upload"],
                                 environment: ["OMNIBUS_REMOTE_CACHE_SIGNING_KEY": repo.root + "/ci.key"])
        #expect(machineA.status == 0, "\(machineA.stdout)\(machineA.stderr)")
        #expect(machineA.stdout.contains("(3 built, 0 restored from cache, 3 uploaded)"), "\(machineA.stdout)")

        let machineB = try await build(repo, cache: repo.root + "/cache-b", output: repo.root + "/pkg-b", ["--remote-cache", url],
                                 environment: ["OMNIBUS_REMOTE_CACHE_TRUSTED_KEYS": publicKey])
        #expect(machineB.status == 0, "\(machineB.stdout)\(machineB.stderr)")
        #expect(machineB.stdout.contains("0 built, 0 restored from cache, 3 restored from the remote cache"), "\(machineB.stdout)")
        for name in ["lib", "app", "data"] { #expect(machineB.stderr.contains("\(name): restored from the remote cache")) }
        await #expect(try Self.digests(repo.root + "/pkg-a") == (try Self.digests(repo.root + "/pkg-b")))
        #expect(try await CommandResult.run([repo.installDir + "/bin/app"]).status == 0, "the restored program runs")

        // A blob altered on the server is refused, and that layer is built instead.
        let blobs = nginx.root + "/omnibus/cas"
        let blob = blobs + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: blobs).sorted().first))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: blob))
        let tampered = try await build(repo, cache: repo.root + "/cache-d", output: repo.root + "/pkg-d", ["--remote-cache", url],
                                 environment: ["OMNIBUS_REMOTE_CACHE_TRUSTED_KEYS": publicKey])
        #expect(tampered.status == 0, "\(tampered.stdout)\(tampered.stderr)")
        #expect(tampered.stdout.contains("1 built, 0 restored from cache, 2 restored from the remote cache"), "\(tampered.stdout)")
        #expect(tampered.stderr.contains("remote cache not used"), "\(tampered.stderr)")
        await #expect(try Self.digests(repo.root + "/pkg-a") == (try Self.digests(repo.root + "/pkg-d")))

        // A reader that trusts no key builds everything itself, and says why.
        let untrusting = try await build(repo, cache: repo.root + "/cache-c", output: repo.root + "/pkg-c", ["--remote-cache", url])
        #expect(untrusting.status == 0)
        #expect(untrusting.stdout.contains("(3 built, 0 restored from cache)"), "\(untrusting.stdout)")
        #expect(untrusting.stderr.contains("remote cache not used"), "\(untrusting.stderr)")
    }

    @Test(.enabled(if: hasNginx, "nginx is not installed (.ci/debian-packages lists it)"))
    func aServerThatIsGoneOrStallsLeavesALocalBuildThatSucceeds() async throws {
        let repo = try TestRepository("remote-down")
        try project(repo)
        let nginx = try NginxServer()
        let url = nginx.url + "/omnibus"
        nginx.stop()
        let down = try await build(repo, cache: repo.root + "/cache-a", output: repo.root + "/pkg-a", ["--remote-cache", url, "--remote-cache-upload"])
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)")
        #expect(down.stdout.contains("(3 built, 0 restored from cache)"), "\(down.stdout)")

        let silent = try SilentListener()
        let stalled = try await build(repo, cache: repo.root + "/cache-b", output: repo.root + "/pkg-b", ["--remote-cache", silent.url],
                                environment: ["OMNIBUS_REMOTE_CACHE_TIMEOUT": "1"])
        #expect(stalled.status == 0, "\(stalled.stdout)\(stalled.stderr)")
        #expect(stalled.stdout.contains("(3 built, 0 restored from cache)"), "\(stalled.stdout)")
        await #expect(try Self.digests(repo.root + "/pkg-a") == (try Self.digests(repo.root + "/pkg-b")))
    }
}
