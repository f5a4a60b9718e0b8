import Definitions
import Foundation
import Linkage

/// `strip: []` or `strip: [PATHS]`: strips the ELF programs and shared libraries this software
/// installed (all of them, or those under the paths given), keeping each one's debug info in a
/// separate file linked back with `.gnu_debuglink`, where gdb finds it by build ID.
struct StripStep: StepKind {
    static let name = "strip"
    /// Inside the install dir, as installed: `debug/.build-id/ab/cdef….debug`, the layout of
    /// Debian's and Fedora's `/usr/lib/debug`, where the debug tarball puts it.
    static let debugDirectory = DebugTarball.directory
    let paths: [String]

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> StripStep? {
        StripStep(paths: decoding.list(body, name: "strip"))
    }

    var summary: String { paths.isEmpty ? "strip" : "strip " + paths.joined(separator: " ") }
    var keyText: String { "strip(paths: \(paths))" }
    var hostTools: [HostTool] {
        [HostTool(command: "strip", package: "binutils"), HostTool(command: "objcopy", package: "binutils")]
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        // The staged install dir: writablePath redirects the install dir into the staging root.
        let stagedInstallDir = try step.writablePath(step.installDir)
        let debugRoot = stagedInstallDir + "/" + Self.debugDirectory
        var roots: [String] = []
        for path in paths.isEmpty ? [step.installDir] : paths {
            let root = try step.writablePath(path)
            guard StepContext.isInside(root, stagedInstallDir) else {
                throw .invalid("strip: '\(path)' is not in the install dir \(step.installDir); only installed files are stripped")
            }
            roots.append(root)
        }
        var seen = Set<[UInt64]>()
        for file in Self.regularFiles(under: roots, skipping: debugRoot) {
            let info: ELFSections?
            do { info = try ELFSections.read(path: file.path) } catch {
                throw .invalid("strip: \(error)")
            }
            // Programs and shared libraries only: objects and archives are linked later, and
            // stripping them would take the symbols their users need.
            guard let info, info.type == .executable || info.type == .sharedObject else { continue }
            // Stripped by an earlier strip step (or already split upstream): nothing to keep.
            if info.hasDebugLink { continue }
            // A second link to a file already stripped.
            guard seen.insert(file.identity).inserted else { continue }
            try await strip(file.path, info: info, stagedInstallDir: stagedInstallDir, debugRoot: debugRoot, in: step)
        }
    }

    private func strip(_ path: String, info: ELFSections, stagedInstallDir: String, debugRoot: String,
                       in step: any StepExecution) async throws(StepFailure) {
        // A shared library keeps the symbols other objects link against; a fixed-address
        // program needs none. PIE programs are shared objects to ELF and lose only what
        // --strip-unneeded drops.
        let mode = info.type == .executable ? "--strip-all" : "--strip-unneeded"
        guard info.hasDebugInfo else {
            return try await step.run(["strip", mode, path])
        }
        let installed = String(path.dropFirst(stagedInstallDir.count - step.installDir.count))
        let debugFile: String
        if let hex = info.buildIDHex, hex.count > 2 {
            debugFile = debugRoot + "/.build-id/" + hex.prefix(2) + "/" + hex.dropFirst(2) + ".debug"
        } else {
            // Without a build ID gdb looks beside the installed path, under the debug directory.
            debugFile = debugRoot + installed + ".debug"
        }
        try FileStep.operation("create the directory of \(debugFile)", step) { try FileStep.makeParent(of: debugFile) }
        try await step.run(["objcopy", "--only-keep-debug", "--compress-debug-sections=zlib", path, debugFile])
        try FileStep.operation("set the mode of \(debugFile)", step) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: debugFile)
        }
        try await step.run(["strip", mode, "--remove-section=.comment", path])
        // Records the debug file's name and CRC32; gdb checks the CRC before using it.
        try await step.run(["objcopy", "--add-gnu-debuglink=\(debugFile)", path])
    }

    /// Regular files below `roots`, symlinks not followed, in path order so the debug files of
    /// hard links are always named after the same one.
    static func regularFiles(under roots: [String], skipping skipped: String) -> [(path: String, identity: [UInt64])] {
        var files: [(path: String, identity: [UInt64])] = []
        var pending = roots
        while let next = pending.popLast() {
            if StepContext.isInside(next, skipped) { continue }
            var info = stat()
            guard lstat(next, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: files.append((next, [UInt64(info.st_dev), UInt64(info.st_ino)]))
            case S_IFDIR:
                let names = (try? FileManager.default.contentsOfDirectory(atPath: next)) ?? []
                pending += names.map { next + "/" + $0 }
            default: continue
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
