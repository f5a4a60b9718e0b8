import Digest
import Foundation

/// A package written to the output directory, with its metadata file next to it.
package struct BuiltPackage: Sendable, Equatable {
    package let format: PackageFormat
    package let path: String
    package let metadataPath: String
    package let metadata: PackageMetadata
}

/// Writes packages into an output directory (`pkg/`) so that nothing there ever looks complete
/// while it is not: each package is written under a temporary name in a hidden scratch
/// directory inside the output directory (same filesystem), synced, then renamed into place;
/// its metadata file follows the same way, last, so a metadata file means a finished package.
package enum PackageWriter {
    @discardableResult
    package static func write(_ packager: some Packager, contents: PackageContents, info: PackageInfo,
                             outputDirectory: String) throws -> BuiltPackage {
        try info.validate()
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw PackagingError.output(path: outputDirectory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let scratch = try makeScratchDirectory(in: outputDirectory)
        defer { try? fileManager.removeItem(atPath: scratch) }

        let fileName = packager.fileName(for: info)
        let partial = scratch + "/" + fileName
        let sink = try FileSink(creating: partial, digests: [.sha256, .sha512])
        try packager.write(contents, info: info, to: sink, scratchDirectory: scratch)
        let digests = try sink.finish()
        let metadata = PackageMetadata(
            name: info.name, version: info.version, iteration: info.iteration,
            arch: packager.format == .deb ? info.architecture.debian : info.architecture.rpm,
            platform: info.platform.id, platformVersion: info.platform.version, format: packager.format,
            basename: fileName, size: sink.byteCount, sha256: digests[0], sha512: digests[1],
            buildEpoch: info.effectiveEpoch, versionManifest: info.versionManifest)
        let metadataPartial = partial + ".metadata.json"
        guard fileManager.createFile(atPath: metadataPartial, contents: metadata.encoded()) else {
            throw PackagingError.output(path: metadataPartial, reason: "cannot write the metadata file")
        }
        let path = outputDirectory + "/" + fileName
        let metadataPath = path + ".metadata.json"
        try move(partial, to: path)
        try move(metadataPartial, to: metadataPath)
        return BuiltPackage(format: packager.format, path: path, metadataPath: metadataPath, metadata: metadata)
    }

    private static func makeScratchDirectory(in directory: String) throws(PackagingError) -> String {
        var template = Array((directory + "/.omnibus-package-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw .output(path: directory, reason: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private static func move(_ source: String, to destination: String) throws(PackagingError) {
        guard rename(source, destination) == 0 else {
            throw .output(path: destination, reason: String(cString: strerror(errno)))
        }
    }
}
