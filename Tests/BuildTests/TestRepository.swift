import Foundation
import Synchronization
import TestSupport
import Testing

/// A throwaway packaging repository with its own install dir, work dir and cache under /tmp, so
/// tests build for real without touching /opt or the user's cache.
struct TestRepository {
    let root: String
    let installDir: String
    let workDir: String
    let cacheDir: String

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    init(_ label: String = "repo") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-\(label)-\(UUID().uuidString.prefix(8))").path
        root = base + "/repo"
        installDir = base + "/opt/app"
        workDir = base + "/work"
        cacheDir = base + "/cache"
        for dir in ["Projects", "Software", "PackageScripts"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        TestDirectories.removeAtExit(base)
    }

    func write(_ relative: String, _ text: String, executable: Bool = false) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { chmod(path, 0o755) }
    }

    /// Copies a directory of the omnibus repository (e.g. the example's C sources) into this one.
    func copyFromOmnibus(_ relative: String, to destination: String) throws {
        let target = root + "/" + destination
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/" + relative, toPath: target)
    }

    /// A software built from `src/<name>` of this repository (created with a README when the
    /// test has not put anything there), with `steps` as its build list, one YAML item each.
    func localSoftware(_ name: String, version: String = "1", dependencies: [String] = [],
                       extra: [String] = [], steps: [String]) throws {
        if !FileManager.default.fileExists(atPath: root + "/src/\(name)") { try write("src/\(name)/README", "\(name)\n") }
        let lines = ["name: \(name)", "default_version: \"\(version)\"", "license: MIT",
                     "dependencies: [\(dependencies.joined(separator: ", "))]",
                     "versions:", "  \"\(version)\":", "    source: { path: ../src/\(name) }"]
            + extra + ["build:"] + steps.map { "  - " + $0 }
        try write("Software/\(name).yml", lines.joined(separator: "\n") + "\n")
    }

    /// A software named `name` whose source is the download `url` pinned by `sha256` (zeros by
    /// default: a checksum no download has), with no build steps.
    func urlSoftware(_ name: String, url: String, sha256: String = String(repeating: "0", count: 64)) throws {
        try write("Software/\(name).yml", """
            name: \(name)
            default_version: "1"
            license: MIT
            versions:
              "1":
                source: { url: "\(url)", sha256: \(sha256) }
            build: []
            """)
    }

    /// A project; another project than `app` needs its own `installDir`.
    func project(_ name: String = "app", dependencies: [String], extra: String = "", installDir: String? = nil) throws {
        try write("Projects/\(name).yml", """
            name: \(name)
            maintainer: Test <test@example.com>
            homepage: https://example.com
            version: "1.0.0"
            install_dir: \(installDir ?? self.installDir)
            dependencies: [\(dependencies.joined(separator: ", "))]
            \(extra)
            """)
    }

    /// Runs the real binary against this repository with private work and cache dirs.
    func omnibus(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        // Commands that build or read builds get private work and cache dirs; others only the root.
        let buildsSomething = ["build", "package", "clean", "health-check"].contains(arguments.first ?? "")
        let scoped = ["--root", root] + (buildsSomething ? ["--work-dir", workDir, "--cache-dir", cacheDir] : [])
        let command = arguments.first.map { [$0] + scoped + Array(arguments.dropFirst()) } ?? scoped
        return try await CommandResult.run([OmnibusBinaryPath.path] + command, environment: ["OMNIBUS_LIBRARY": root + "/no-library"].merging(environment) { $1 })
    }
}

/// Every test repository is removed when the test process ends: a platform test's unpacked
/// roots alone take 0.9 GB, and a machine that runs the suite often filled its disk with them.
/// `OMNIBUS_KEEP_TEST_DIRS=1` keeps them for a look after a failure.
enum TestDirectories {
    private static let registered = Mutex<[String]>([])
    private static let hook: Void = {
        atexit {
            guard ProcessInfo.processInfo.environment["OMNIBUS_KEEP_TEST_DIRS"] != "1" else { return }
            for directory in TestDirectories.registered.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
    }()

    static func removeAtExit(_ directory: String) {
        _ = hook
        registered.withLock { $0.append(directory) }
    }
}

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs a command to its end, its output captured through files (no pipe can fill up).
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) async throws -> CommandResult {
        let started = try Started(arguments, directory, environment)
        defer { started.removeOutputs() }
        try await started.process.runUntilExit()
        return started.result()
    }

    /// For a probe or a clean-up that ends in well under a second where no `await` can be
    /// (a static property, a `defer`): waiting holds the calling thread, so never for a build.
    static func runBriefly(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        let started = try Started(arguments, directory, environment)
        defer { started.removeOutputs() }
        try started.process.run()
        started.process.waitUntilExit()
        return started.result()
    }

    /// A process set up with its output files, not yet running.
    private struct Started {
        let process = Process()
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)").path
        var errFile: String { outFile + ".err" }

        init(_ arguments: [String], _ directory: String?, _ environment: [String: String]) throws {
            process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
            process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            var env = ProcessInfo.processInfo.environment
            env["CI"] = "true"
            process.environment = env.merging(environment) { $1 }
            _ = FileManager.default.createFile(atPath: outFile, contents: nil)
            _ = FileManager.default.createFile(atPath: errFile, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: outFile)
            process.standardError = FileHandle(forWritingAtPath: errFile)
        }

        func result() -> CommandResult {
            CommandResult(status: process.terminationStatus,
                          stdout: (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "")
        }

        func removeOutputs() {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
    }
}

enum OmnibusBinaryPath {
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["OMNIBUS_BIN"] { return explicit }
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let binary = candidate.appendingPathComponent("omnibus").path
            if FileManager.default.isExecutableFile(atPath: binary) { return binary }
            candidate.deleteLastPathComponent()
        }
        return "omnibus"
    }()
}
