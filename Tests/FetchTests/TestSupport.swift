import Digest
import Foundation
@testable import Fetch

/// A fresh directory under the system temp dir, removed when the test's value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String = "fetch") throws {
        let base = NSTemporaryDirectory() + "omnibus-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // Resolved so that comparisons with paths the fetcher resolves hold.
        path = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { "\(path)/\(name)" }
}

enum Tools {
    static func has(_ tool: String) -> Bool {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs a tool to completion; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let log = try TemporaryDirectory("cmd")
        let logPath = log.sub("out")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = try String(contentsOfFile: logPath, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            throw ToolFailure(command: arguments.joined(separator: " "), output: output)
        }
        return output
    }

    struct ToolFailure: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "`\(command)` failed: \(output)" }
    }
}

func write(_ text: String, to path: String, mode: Int? = nil) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path) }
}

func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

func sha256(ofFile path: String) throws -> Checksum {
    try Checksum(.sha256, Digests.hex(.sha256, ofFile: path))
}

func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// A small source tree `<name>/...` with a C file, a nested directory and an executable script.
func makeSourceTree(in directory: String, top: String = "demo-1.0") throws {
    try write("int main(void) { return 0; }\n", to: "\(directory)/\(top)/main.c")
    try write("hello\n", to: "\(directory)/\(top)/doc/README")
    try write("#!/bin/sh\necho configured\n", to: "\(directory)/\(top)/configure", mode: 0o755)
}

/// Packs `top` (a directory inside `directory`) with the real tools: `tar` for tar formats,
/// Python's zipfile for zip (no zip binary is assumed).
func makeArchive(_ fileName: String, of top: String, in directory: String) throws -> String {
    let output = "\(directory)/\(fileName)"
    switch fileName {
    case let name where name.hasSuffix(".tar.gz"): try Tools.run(["tar", "-czf", output, top], in: directory)
    case let name where name.hasSuffix(".tar.xz"): try Tools.run(["tar", "-cJf", output, top], in: directory)
    case let name where name.hasSuffix(".tar.bz2"): try Tools.run(["tar", "-cjf", output, top], in: directory)
    case let name where name.hasSuffix(".tar.zst"): try Tools.run(["tar", "--zstd", "-cf", output, top], in: directory)
    case let name where name.hasSuffix(".tar"): try Tools.run(["tar", "-cf", output, top], in: directory)
    case let name where name.hasSuffix(".zip"):
        try Tools.run(["python3", "-c", """
            import os, sys, zipfile
            out, top = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for base, dirs, files in os.walk(top):
                    dirs.sort()
                    for f in sorted(files):
                        z.write(os.path.join(base, f))
            """, output, top], in: directory)
    default: fatalError("unknown archive type \(fileName)")
    }
    return output
}

/// Collects fetch events for assertions.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [FetchEvent] = []

    var handler: FetchEventHandler { { [self] event in lock.lock(); stored.append(event); lock.unlock() } }
    var events: [FetchEvent] { lock.lock(); defer { lock.unlock() }; return stored }
}

// The tests name sources the way definitions do; these build the registered kinds.
extension FetchableSource where Self == URLSource {
    static func url(_ url: URL, _ checksum: Checksum, fileName: String? = nil) -> URLSource {
        URLSource(url: url, checksum: checksum, fileName: fileName)
    }
}

extension FetchableSource where Self == MirrorFileSource {
    static func mirrorOnly(fileName: String, _ checksum: Checksum, debian: DebianOrigin? = nil) -> MirrorFileSource {
        MirrorFileSource(fileName: fileName, checksum: checksum, debian: debian?.aptArgument)
    }
}

extension FetchableSource where Self == GitSource {
    static func git(repository: String, commit: String) -> GitSource { GitSource(repository: repository, commit: commit) }
}

extension FetchableSource where Self == PathSource {
    static func path(directory: String, exclude: [String] = []) -> PathSource { PathSource(directory: directory, exclude: exclude) }
}
