import Foundation
import Testing
@testable import Linkage

/// The result of running a real tool.
struct ToolRun {
    let status: Int32
    let output: String
    let errorOutput: String
}

enum Tools {
    /// Full path of `name` on PATH (or in the Swift toolchain for clang/lld), nil when absent.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        directories.append("/opt/swift/usr/bin")
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool with a minimal environment (no LD_LIBRARY_PATH or LD_PRELOAD leaking in) and
    /// captures its output through files, so neither stream can fill a pipe and stall.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                    directory: String? = nil) throws -> ToolRun {
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/stdout", err = scratch.path + "/stderr", inPath = scratch.path + "/stdin"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LC_ALL": "C"]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        try process.run()
        process.waitUntilExit()
        // Decoded leniently: tools print file names and bytes that need not be UTF-8.
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return ToolRun(status: process.terminationStatus, output: text(out), errorOutput: text(err))
    }

    /// Runs a tool and fails the test with its stderr when it exits non-zero.
    @discardableResult
    static func succeed(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> String {
        let result = try run(executable, arguments, directory: directory)
        guard result.status == 0 else {
            throw ToolFailure(command: ([executable] + arguments).joined(separator: " "), output: result.errorOutput + result.output)
        }
        return result.output
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    let command: String
    let output: String
    var description: String { "\(command) failed:\n\(output)" }
}

/// A fresh directory under /tmp, removed when the value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ prefix: String = "linkage-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ToolFailure(command: "mkdtemp", output: String(cString: strerror(errno))) }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Creates `relative` (and its parents) as a directory and returns its absolute path.
    @discardableResult
    func directory(_ relative: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }
}

/// Compiling fixtures with the real C compiler.
enum Compiler {
    static let cc = Tools.find("cc")

    /// Compiles C source into `output` with extra compiler/linker arguments.
    static func build(_ source: String, to output: String, _ arguments: [String] = [], in scratch: TemporaryDirectory) throws {
        guard let cc else { throw ToolFailure(command: "cc", output: "no C compiler") }
        let sourcePath = try scratch.write("src/\(UUID().uuidString).c", source)
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Tools.succeed(cc, [sourcePath, "-o", output] + arguments)
    }

    /// A shared library exporting `int <symbol>(void)` with the given soname.
    static func sharedLibrary(_ output: String, soname: String, symbol: String, _ arguments: [String] = [],
                              in scratch: TemporaryDirectory) throws {
        try build("int \(symbol)(void) { return 7; }\n", to: output,
                  ["-shared", "-fPIC", "-Wl,-soname,\(soname)"] + arguments, in: scratch)
    }
}

/// The system's zlib, resolved to the real file so copies are real libraries.
enum SystemLibraries {
    static func realPath(ofSoname soname: String) throws -> String {
        let resolver = LibraryResolver()
        let target = ELFTarget(elfClass: .elf64, endianness: .little, machine: 62)
        let environment = resolver.environment(for: target)
        guard let path = resolver.cache?.lookup(soname, flags: environment.cacheFlags),
              let real = PathNames.realPath(path) else {
            throw ToolFailure(command: "lookup \(soname)", output: "not in the loader cache")
        }
        return real
    }
}

/// `ldd`'s listing reduced to (name, path) pairs, with the deliberate differences applied: the
/// vDSO is dropped (it is no file), "statically linked" and "not a dynamic executable" mean no
/// objects, duplicate "not found" lines collapse, and order is ignored.
enum LddListing {
    struct Pair: Hashable, CustomStringConvertible {
        let name: String
        let path: String
        var description: String { "\(name) => \(path)" }
    }

    static func parse(_ text: String) -> Set<Pair> {
        var pairs = Set<Pair>()
        for rawLine in text.split(separator: "\n") {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line == "statically linked" || line == "not a dynamic executable" || line.hasPrefix("ldd:") { continue }
            if let range = line.range(of: #" \(0x[0-9a-f]+\)$"#, options: .regularExpression) {
                line.removeSubrange(range)
            }
            if let arrow = line.range(of: " => ") {
                pairs.insert(Pair(name: String(line[..<arrow.lowerBound]), path: String(line[arrow.upperBound...])))
            } else if line.hasPrefix("linux-vdso") || line.hasPrefix("linux-gate") {
                continue
            } else if line.hasPrefix("/") {
                pairs.insert(Pair(name: line, path: line))
            }
        }
        return pairs
    }

    /// Our link map in the same shape: the loader object is listed by its path, as ldd does.
    static func pairs(of map: LinkMap) -> Set<Pair> {
        Set(map.objects.compactMap { object in
            switch object.kind {
            case .vdso: nil
            case .interpreter: Pair(name: object.path ?? object.name, path: object.path ?? object.name)
            case .library: Pair(name: object.name, path: object.loadError == nil ? (object.path ?? "not found") : "error")
            }
        })
    }

    /// Runs ldd on one file.
    static func run(_ path: String) throws -> Set<Pair> {
        guard let ldd = Tools.find("ldd") else { throw ToolFailure(command: "ldd", output: "absent") }
        return parse(try Tools.run(ldd, [path]).output)
    }
}
