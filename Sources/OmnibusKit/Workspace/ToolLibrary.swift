import Foundation

/// Finds the software library that ships with the tool.
package enum ToolLibrary {
    package static let environmentVariable = "OMNIBUS_LIBRARY"

    /// In order: `$OMNIBUS_LIBRARY`; `<prefix>/share/omnibus/Software` beside an installed
    /// `<prefix>/bin/omnibus`; the `Software/` of the source tree this binary was built from.
    package static func softwareDir(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let configured = environment[environmentVariable], !configured.isEmpty { return configured }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: executablePath()).resolvingSymlinksInPath()
        let prefix = executable.deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(prefix.appendingPathComponent("share/omnibus/Software").path)
        // Sources/OmnibusKit/Workspace/ToolLibrary.swift -> repository root.
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(sourceRoot.appendingPathComponent("Software").path)
        return candidates.first { isDirectory($0) }
    }

    /// The tool's own packaging repository (its `Projects/`, `PackageScripts/`), when known.
    package static func sourceRoot() -> String? {
        softwareDir().map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }

    /// The running binary, wherever it was started from (argv[0] may be a bare name found on PATH).
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first ?? ""
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
