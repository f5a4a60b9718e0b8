import Archive
import Definitions
import Digest
import Foundation

/// `.deb` writer: an ar archive of `debian-binary`, `control.tar.gz`, `data.tar.<ext>` in that
/// order, like `dpkg-deb --build`. Tar members are GNU format, named `./...`, sorted; every
/// member and the ar headers carry `SOURCE_DATE_EPOCH`, uid/gid 0.
///
/// `data.tar` is the run's shared data tar (`PayloadPass`: ar needs its size up front, and a
/// `.tar` package of the same compression is the very same file), the md5sums come from the same
/// read of each file; then `control.tar.gz` is built in memory (it holds only text) and the three
/// members are copied out.
package struct DebPackager: Packager {
    /// Compression of `data.tar`; `control.tar` is always gzip -9, which every dpkg reads.
    /// zstd needs dpkg 1.21.18 or newer on the installing system (Debian 12, Ubuntu 21.10).
    package let compression: ArchiveCompression
    /// Debian's Section and Priority fields.
    package let section: String
    package let priority: String
    /// Debian relation fields by option key (`pre_depends` -> Pre-Depends), added to what the
    /// neutral `runtime_dependencies`, `conflicts`, `replaces` and `provides` give.
    package let relations: [String: [String]]

    package static let name = "deb"
    package static let optionDefaults = ["section": "misc", "priority": "optional"]
    package static let relationOptions = DebControl.relationFields.map(\.key)
    package static let defaultCompression = ArchiveCompression.Algorithm.gzip

    package init(compression: ArchiveCompression = ArchiveCompression(.gzip), section: String = "misc",
                 priority: String = "optional", relations: [String: [String]] = [:]) {
        self.compression = compression
        self.section = section
        self.priority = priority
        self.relations = relations
    }

    package init(options: FormatOptions) {
        self.init(compression: options.archiveCompression, section: options["section"] ?? "misc",
                  priority: options["priority"] ?? "optional", relations: options.relations)
    }

    package func architectureName(for info: PackageInfo) -> String { info.architecture.debian }

    /// `<name>_<version>-<iteration>_<arch>.deb`, dpkg's convention.
    package func fileName(for info: PackageInfo) -> String {
        "\(info.name)_\(info.debianVersion)_\(info.architecture.debian).deb"
    }

    package var payloadNeeds: PayloadNeeds { PayloadNeeds(dataTar: [compression], md5: true) }

    package func write(_ contents: PackageContents, info: PackageInfo, to sink: any PackageSink,
                      scratchDirectory: String) throws {
        try writeWithOwnPayloads(contents, info: info, to: sink, scratchDirectory: scratchDirectory)
    }

    package func write(_ contents: PackageContents, info: PackageInfo, payloads: Payloads, to sink: any PackageSink,
                       scratchDirectory: String) throws {
        try checkInputs(contents, info, options: [("section", section), ("priority", priority)])
        let epoch = info.effectiveEpoch
        let data = try payloads.dataTar(compression)
        let control = try controlArchive(contents, info: info, digests: payloads.md5)

        let ar = try ArchiveWriter(format: .arBSD) { try sink.write($0) }
        try addMember(to: ar, name: "debian-binary", size: 4, epoch: epoch) {
            try Self.bytes("2.0\n").withUnsafeBytes { try ar.writeData($0) }
        }
        try addMember(to: ar, name: "control.tar.gz", size: Int64(control.count), epoch: epoch) {
            try control.withUnsafeBytes { try ar.writeData($0) }
        }
        try addMember(to: ar, name: "data.tar.\(compression.algorithm.fileExtension)", size: data.size, epoch: epoch) {
            try FileChunks().read(data.path, expectedSize: data.size) { try ar.writeData($0) }
        }
        try ar.finish()
    }

    private func addMember(to ar: ArchiveWriter, name: String, size: Int64, epoch: Int64,
                           data: () throws -> Void) throws {
        try ar.writeHeader(ArchiveWriteEntry(path: name, kind: .file, permissions: 0o644, size: size,
                                             modificationTime: epoch))
        try data()
    }

    /// `control.tar.gz`: `./`, `./conffiles`, `./control`, `./md5sums`, then the scripts.
    private func controlArchive(_ contents: PackageContents, info: PackageInfo,
                                digests: [(path: String, digest: String)]) throws -> [UInt8] {
        var files: [(name: String, text: String, mode: UInt32)] = []
        let conffiles = DebControl.conffiles(contents)
        if !conffiles.isEmpty { files.append(("conffiles", conffiles, 0o644)) }
        files.append(("control", try DebControl.control(info, section: section, priority: priority, relations: relations, installedSizeKiB: DebControl.installedSizeKiB(contents)), 0o644))
        let configPaths = Set(contents.configFiles.map(\.path))
        files.append(("md5sums", DebControl.md5sums(digests, configFiles: configPaths), 0o644))
        for kind in ScriptKind.debian {
            if let script = info.scripts[kind], !script.isEmpty { files.append((kind.rawValue, script, 0o755)) }
        }
        files.sort { pathPrecedes($0.name, $1.name) }

        var output: [UInt8] = []
        let writer = try ArchiveWriter(format: .gnutar, compression: ArchiveCompression(.gzip, level: 9)) {
            output.append(contentsOf: $0)
        }
        try writer.writeHeader(ArchiveWriteEntry(path: "./", kind: .directory, permissions: 0o755,
                                                 modificationTime: info.effectiveEpoch, userName: "root", groupName: "root"))
        for file in files {
            let bytes = Self.bytes(file.text)
            try writer.writeHeader(ArchiveWriteEntry(path: "./" + file.name, kind: .file, permissions: file.mode,
                                                     size: Int64(bytes.count), modificationTime: info.effectiveEpoch,
                                                     userName: "root", groupName: "root"))
            try bytes.withUnsafeBytes { try writer.writeData($0) }
        }
        try writer.finish()
        return output
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
