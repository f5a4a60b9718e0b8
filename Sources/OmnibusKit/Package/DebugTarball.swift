import Archive
import Definitions
import Foundation
import Scratch

/// The debug files `strip` steps keep (`<install_dir>/embedded/lib/debug/`), written beside the
/// packages as `<project>-<version>-<iteration>.debug.tar.gz` with the layout of Debian's and
/// Fedora's debug packages: `usr/lib/debug/.build-id/ab/cdef….debug`, so unpacked at `/` gdb
/// finds them by build ID with no setting. Same bytes for the same files: members sorted, owned
/// by root, dated at the packaging epoch, gzip without a time.
enum DebugTarball {
    /// Inside the install dir; `StripStep` writes there, packages leave it out unless
    /// `package.debug_files` is `keep`.
    static let directory = "embedded/lib/debug"
    /// They are ELF files whose code sections are empty (`NOBITS`), so their headers name an
    /// empty interpreter: debuggers read them, the loader never does, and neither the health
    /// check nor the base-system dependencies look at them.
    static let notLoaded = directory + "/**"
    /// Where those files go in the tarball.
    static let installedAs = "usr/lib/debug"

    static func fileName(project: Project, version: String) -> String {
        "\(project.name)-\(version)-\(project.iteration).debug.tar.gz"
    }

    /// Writes the tarball into `outputDirectory` when the install dir has debug files and the
    /// project wants a tarball, and removes an older one of this version that no longer applies.
    /// Returns its path, or nil when none is written.
    @discardableResult
    static func write(project: Project, version: String, epoch: Int, outputDirectory: String) throws(ProjectPackaging.Failure) -> String? {
        let source = project.installDir + "/" + directory
        let target = outputDirectory + "/" + fileName(project: project, version: version)
        var isDirectory: ObjCBool = false
        guard project.package.debugFiles == .tarball,
              FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
            try? FileManager.default.removeItem(atPath: target)
            return nil
        }
        let temporary = outputDirectory + "/" + OwnedName.make(prefix: ".omnibus-package-", suffix: ".debug.tar.gz")
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary) else {
                throw ProjectPackaging.Failure(description: "cannot create \(temporary)")
            }
            defer { try? handle.close() }
            let writer = try ArchiveWriter(format: .gnutar, compression: ArchiveCompression(.gzip)) { bytes in
                try handle.write(contentsOf: Data(bytes))
            }
            var parents = ""
            for component in installedAs.split(separator: "/") {
                parents += component + "/"
                try writer.writeHeader(ArchiveWriteEntry(path: "./" + parents, kind: .directory, permissions: 0o755,
                                                         modificationTime: Int64(epoch), userName: "root", groupName: "root"))
            }
            for relative in try members(of: source) {
                let path = source + "/" + relative
                let name = "./" + installedAs + "/" + relative
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory?:
                    try writer.writeHeader(ArchiveWriteEntry(path: name + "/", kind: .directory, permissions: 0o755,
                                                             modificationTime: Int64(epoch), userName: "root", groupName: "root"))
                case .typeSymbolicLink?:
                    let target = try FileManager.default.destinationOfSymbolicLink(atPath: path)
                    try writer.writeHeader(ArchiveWriteEntry(path: name, kind: .symlink(target: target), permissions: 0o777,
                                                             modificationTime: Int64(epoch), userName: "root", groupName: "root"))
                case .typeRegular?:
                    let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                    try writer.writeHeader(ArchiveWriteEntry(path: name, kind: .file, permissions: 0o644, size: size,
                                                             modificationTime: Int64(epoch), userName: "root", groupName: "root"))
                    // In pieces: a large program's debug file can be hundreds of megabytes.
                    let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                    defer { try? input.close() }
                    var written: Int64 = 0
                    while written < size, let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                        let piece = chunk.prefix(Int(size - written))
                        try piece.withUnsafeBytes { try writer.writeData($0) }
                        written += Int64(piece.count)
                    }
                    guard written == size else {
                        throw ProjectPackaging.Failure(description: "\(path) changed while the debug tarball was written")
                    }
                default:
                    continue
                }
            }
            try writer.finish()
            try handle.close()
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        } catch let failure as ProjectPackaging.Failure {
            try? FileManager.default.removeItem(atPath: temporary)
            throw failure
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ProjectPackaging.Failure(description: "cannot write the debug tarball \(target): \(error)")
        }
        return target
    }

    /// Every entry below `root`, relative, sorted byte-wise (a parent before its children).
    private static func members(of root: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var names: [String] = []
        while let next = enumerator.nextObject() as? String { names.append(next) }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
