import Foundation
import Definitions
import OmnibusKit
import Spawning
import Testing

/// The roots every test of this file shares: made once (mmdebstrap) into a fixed cache dir that
/// survives the run, so CI caches it (set OMNIBUS_TEST_ROOTS_CACHE to its cache directory).
enum TestRoots {
    static let cacheDir = ProcessInfo.processInfo.environment["OMNIBUS_TEST_ROOTS_CACHE"] ?? "/tmp/omnibus-roots-cache"
    static let tools = ["mmdebstrap", "bwrap"].filter { ChildProcess.which($0, in: RootStore.path) == nil }
    static var unavailable: String? {
        if getuid() != 0 { return "clean roots need root (mmdebstrap --mode=root, mount namespaces)" }
        return tools.isEmpty ? nil : "not installed: \(tools.joined(separator: ", ")) (apt-get install mmdebstrap bubblewrap)"
    }

    /// The debian-12 build root extracted under `workDir`.
    static func debian12(workDir: String) async throws -> String {
        let spec = CleanRootSpec(platform: TargetPlatform.named("debian-12")!, architecture: PlatformRoot.hostArchitecture,
                                 extraPackages: [], archiveURI: DebianArchive.configuredURI())
        return try await RootStore(cacheDir: cacheDir, workDir: workDir).extracted(spec)
    }

    static func run(_ sandbox: RootSandbox, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess(try sandbox.wrap(arguments, directory: "/"), environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"]).capture()
    }
}

@Suite(.serialized) struct PlatformRootTests {
    /// A header only the host has: the host's compiler finds it, the root's never does.
    @Test func hostOnlyHeaderIsNotSeenInTheRoot() async throws {
        if let reason = TestRoots.unavailable { print("skipped: \(reason)"); return }
        let work = FileManager.default.temporaryDirectory.path + "/omnibus-roots-header-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let root = try await TestRoots.debian12(workDir: work)
        let header = "/usr/local/include/omnibus-host-only-\(getpid()).h"
        try "#define OMNIBUS_HOST_ONLY 1\n".write(toFile: header, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: header) }
        let probe = ["/bin/sh", "-c", "printf '#include <\((header as NSString).lastPathComponent)>\\n' | cc -E -x c - >/dev/null"]
        let onHost = try await ChildProcess(probe, environment: ["PATH": "/usr/bin:/bin"]).capture()
        #expect(onHost.status == 0, "the host's cc should find \(header): \(onHost.output)")
        let inRoot = try await TestRoots.run(RootSandbox(root: root, binds: [], network: false), probe)
        #expect(inRoot.status != 0)
        #expect(inRoot.output.contains("No such file"), "\(inRoot.output)")
    }

    /// A listener on the host's loopback: unreachable from a root without network, reachable
    /// from one with `network: true` (which shares the host's network).
    @Test func networkIsOffUnlessAllowed() async throws {
        if let reason = TestRoots.unavailable { print("skipped: \(reason)"); return }
        let work = FileManager.default.temporaryDirectory.path + "/omnibus-roots-net-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let root = try await TestRoots.debian12(workDir: work)
        let listener = try SilentListener()
        defer { listener.stop() }
        // perl-base is Essential: every root has it.
        let connect = ["perl", "-MIO::Socket::INET", "-e",
                       "exit(IO::Socket::INET->new(PeerAddr => '127.0.0.1:\(listener.port)', Timeout => 5) ? 0 : 3)"]
        let off = try await TestRoots.run(RootSandbox(root: root, binds: [], network: false), connect)
        #expect(off.status == 3, "connected without network: \(off.output)")
        let on = try await TestRoots.run(RootSandbox(root: root, binds: [], network: true), connect)
        #expect(on.status == 0, "could not connect with network: \(on.output)")
    }

    /// On the host, every missing build dependency is named in one message with its apt-get line.
    @Test func missingHostBuildDependenciesGiveOneMessage() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query") else { print("skipped: no dpkg-query"); return }
        let repo = try TestRepository("hostdeps")
        try repo.localSoftware("tool", extra: ["build_dependencies: { debian: [dpkg, omnibus-absent-one, omnibus-absent-two] }"],
                               steps: ["run: \"true\""])
        try repo.project(dependencies: ["tool"])
        let result = try await repo.omnibus(["build", "app"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("omnibus-absent-one, omnibus-absent-two"), "\(result.stderr)")
        #expect(result.stderr.contains("apt-get install omnibus-absent-one omnibus-absent-two"), "\(result.stderr)")
        #expect(!result.stderr.contains("dpkg,"), "an installed package is not missing: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.installDir), "nothing may build before the check")
    }

    @Test func platformsAndKeysAreValidatedWithPositions() async throws {
        let repo = try TestRepository("platkeys")
        try repo.localSoftware("tool", extra: ["build_dependencies: { debain: [autoconf] }", "network: yes"], steps: ["run: \"true\""])
        try repo.project(dependencies: ["tool"], extra: "platforms: [debain-12, host]\nsmoke_test: \"\"")
        let result = try await repo.omnibus(["validate"])
        #expect(result.status == 2)
        let text = result.stdout + result.stderr
        #expect(text.contains("Projects/app.yml:7:13"), "\(text)")
        #expect(text.contains("unknown platform 'debain-12' (did you mean 'debian-12'?)"), "\(text)")
        #expect(text.contains("unknown platform family 'debain' (did you mean 'debian'?)"), "\(text)")
        #expect(text.contains("'network' must be true or false"), "\(text)")
        #expect(text.contains("'smoke_test' must be one command line"), "\(text)")
        let flag = try await repo.omnibus(["build", "app", "--platform", "debian-21"])
        #expect(flag.status == 2)
        #expect(flag.stderr.contains("did you mean 'debian-12'?"), "\(flag.stderr)")
    }
}
