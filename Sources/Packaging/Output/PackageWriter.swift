import Digest
import Foundation
import Scratch

/// A package written to the output directory, with its metadata file next to it.
package struct BuiltPackage: Sendable, Equatable {
    /// The format's registered name.
    package let format: String
    package let path: String
    package let metadataPath: String
    package let metadata: PackageMetadata
}

/// Writes packages into an output directory (`pkg/`) so that nothing there ever looks complete
/// while it is not: each package is written under a temporary name in a hidden scratch
/// directory inside the output directory (same filesystem), then renamed into place; its
/// metadata file follows, last, so a metadata file means a finished package. Several formats
/// are staged first and put in place together (`stage`, then `commit`), so an interrupted run
/// leaves none of them.
package enum PackageWriter {
    /// One package written under a temporary name, not yet in place.
    package final class Staged {
        package let built: BuiltPackage
        fileprivate let partial: String
        fileprivate let metadataPartial: String
        fileprivate let scratch: String

        fileprivate init(built: BuiltPackage, partial: String, metadataPartial: String, scratch: String) {
            self.built = built
            self.partial = partial
            self.metadataPartial = metadataPartial
            self.scratch = scratch
        }

        deinit { try? FileManager.default.removeItem(atPath: scratch) }

        /// Renames the package, then its metadata, into place.
        package func commit() throws(PackagingError) -> BuiltPackage {
            try PackageWriter.move(partial, to: built.path)
            try PackageWriter.move(metadataPartial, to: built.metadataPath)
            return built
        }
    }

    @discardableResult
    package static func write(_ packager: some Packager, contents: PackageContents, info: PackageInfo,
                             outputDirectory: String) throws -> BuiltPackage {
        try stage(packager, contents: contents, info: info, outputDirectory: outputDirectory).commit()
    }

    package static func stage(_ packager: any Packager, contents: PackageContents, info: PackageInfo,
                              outputDirectory: String) throws -> Staged {
        try info.validate()
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw PackagingError.output(path: outputDirectory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let scratch = try makeScratchDirectory(in: outputDirectory)
        do {
            let fileName = packager.fileName(for: info)
            let partial = scratch + "/" + fileName
            let sink = try FileSink(creating: partial, digests: [.sha256, .sha512])
            try packager.write(contents, info: info, to: sink, scratchDirectory: scratch)
            let digests = try sink.finish()
            let format = type(of: packager).name
            let metadata = PackageMetadata(
                name: info.name, version: info.version, iteration: info.iteration,
                arch: packager.architectureName(for: info), platform: info.platform.id,
                platformVersion: info.platform.version, format: format, basename: fileName, size: sink.byteCount,
                sha256: digests[0], sha512: digests[1], buildEpoch: info.effectiveEpoch,
                versionManifest: info.versionManifest)
            let metadataPartial = partial + ".metadata.json"
            guard fileManager.createFile(atPath: metadataPartial, contents: metadata.encoded()) else {
                throw PackagingError.output(path: metadataPartial, reason: "cannot write the metadata file")
            }
            let path = outputDirectory + "/" + fileName
            let built = BuiltPackage(format: format, path: path, metadataPath: path + ".metadata.json", metadata: metadata)
            return Staged(built: built, partial: partial, metadataPartial: metadataPartial, scratch: scratch)
        } catch {
            try? fileManager.removeItem(atPath: scratch)
            throw error
        }
    }

    /// Scratch directories are `.omnibus-package-<pid>-<host>-XXXXXX`: a run removes those of
    /// runs that are gone (killed before they could clean up) and leaves those of running ones.
    static let scratchPrefix = ".omnibus-package-"

    private static func makeScratchDirectory(in directory: String) throws(PackagingError) -> String {
        AbandonedTemporaries.sweep(directory, prefix: scratchPrefix)
        var template = Array((directory + "/" + OwnedName.stamp(scratchPrefix) + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw .output(path: directory, reason: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    fileprivate static func move(_ source: String, to destination: String) throws(PackagingError) {
        guard rename(source, destination) == 0 else {
            throw .output(path: destination, reason: String(cString: strerror(errno)))
        }
    }
}
