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
    /// The detached signature file next to the package (`<package>.asc`), for formats that
    /// cannot carry their signature inside; nil when unsigned or signed inside.
    package var signaturePath: String? = nil
    /// The SHA-256 of the file this package replaced in the output directory when that file had
    /// other bytes: the content changed under the same name (version and iteration), which
    /// anyone who fetched the earlier file would never notice by its name.
    package var replacedSHA256: String? = nil
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
        package private(set) var built: BuiltPackage
        fileprivate let partial: String
        fileprivate let metadataPartial: String
        fileprivate let signaturePartial: String?
        fileprivate let scratch: String
        /// Files attached with `attach`, by file name, staged in `scratch`.
        private var attachments: [String] = []

        fileprivate init(built: BuiltPackage, partial: String, metadataPartial: String, signaturePartial: String?,
                         scratch: String) {
            self.built = built
            self.partial = partial
            self.metadataPartial = metadataPartial
            self.signaturePartial = signaturePartial
            self.scratch = scratch
        }

        deinit { try? FileManager.default.removeItem(atPath: scratch) }

        /// Stages a file that describes the package (an SBOM) to be put next to it, and lists it
        /// in the metadata (`described_by`), which is rewritten for that.
        package func attach(fileName: String, contents: Data) throws(PackagingError) {
            let staged = scratch + "/" + fileName
            guard !fileName.contains("/"), FileManager.default.createFile(atPath: staged, contents: contents) else {
                throw .output(path: staged, reason: "cannot write the file")
            }
            attachments.append(fileName)
            var metadata = built.metadata
            metadata.describedBy.append(fileName)
            built = BuiltPackage(format: built.format, path: built.path, metadataPath: built.metadataPath, metadata: metadata,
                                 signaturePath: built.signaturePath)
            guard FileManager.default.createFile(atPath: metadataPartial, contents: built.metadata.encoded()) else {
                throw .output(path: metadataPartial, reason: "cannot write the metadata file")
            }
        }

        /// Renames the package, its detached signature and attached files, then its metadata
        /// into place; notes when the package replaced a file of the same name with other bytes.
        package func commit() throws(PackagingError) -> BuiltPackage {
            // A signature left by an earlier signed run would not match these bytes.
            if signaturePartial == nil { unlink(built.path + ".asc") }
            if let previous = try? Digests.hex(.sha256, ofFile: built.path), previous != built.metadata.sha256 {
                built.replacedSHA256 = previous
            }
            try PackageWriter.move(partial, to: built.path)
            if let signaturePartial, let signaturePath = built.signaturePath {
                try PackageWriter.move(signaturePartial, to: signaturePath)
            }
            let directory = (built.path as NSString).deletingLastPathComponent
            for fileName in attachments {
                try PackageWriter.move(scratch + "/" + fileName, to: directory + "/" + fileName)
            }
            try PackageWriter.move(metadataPartial, to: built.metadataPath)
            return built
        }
    }

    /// The unsigned package in its scratch directory, before its metadata exists.
    private struct Draft {
        let scratch: String
        let fileName: String
        let partial: String
        let size: Int64
        /// SHA-256 and SHA-512, hex.
        let digests: [String]
    }

    @discardableResult
    package static func write(_ packager: some Packager, contents: PackageContents, info: PackageInfo,
                             outputDirectory: String) throws -> BuiltPackage {
        try stage(packager, contents: contents, info: info, outputDirectory: outputDirectory).commit()
    }

    /// Writes and signs a package, then puts it in place.
    @discardableResult
    package static func write(_ packager: some Packager, contents: PackageContents, info: PackageInfo,
                             outputDirectory: String, signer: any PackageSigner) async throws -> BuiltPackage {
        try await stage(packager, contents: contents, info: info, outputDirectory: outputDirectory, signer: signer).commit()
    }

    /// The payloads of every format in `packagers`, from one read of the contents
    /// (`PayloadPass`), in a scratch directory of the output directory; pass them to `stage`.
    /// With `layers` the payloads are written layer by layer, and a `store` keeps each layer's
    /// compressed bytes for the next run (see `PayloadLayers`, `PayloadSegmentStore`).
    package static func payloads(for packagers: [any Packager], contents: PackageContents, info: PackageInfo,
                                 outputDirectory: String, layers: PayloadLayers = PayloadLayers([]),
                                 store: PayloadSegmentStore? = nil) throws -> StagedPayloads {
        try createOutputDirectory(outputDirectory)
        let scratch = try makeScratchDirectory(in: outputDirectory)
        let staged = StagedPayloads(scratch: scratch)
        let needs = packagers.reduce(PayloadNeeds.none) { $0.merged(with: $1.payloadNeeds) }
        staged.payloads = try PayloadPass(contents: contents, epoch: info.effectiveEpoch, needs: needs, directory: scratch,
                                              layers: layers, store: store).run()
        return staged
    }

    /// Payloads shared by the formats of a run; the files go when this does.
    package final class StagedPayloads {
        fileprivate let scratch: String
        package fileprivate(set) var payloads = Payloads()

        fileprivate init(scratch: String) { self.scratch = scratch }

        deinit { try? FileManager.default.removeItem(atPath: scratch) }
    }

    package static func stage(_ packager: any Packager, contents: PackageContents, info: PackageInfo,
                              outputDirectory: String, payloads: StagedPayloads? = nil) throws -> Staged {
        let draft = try writeUnsigned(packager, contents: contents, info: info, outputDirectory: outputDirectory,
                                      payloads: payloads)
        return try finish(draft, packager: packager, info: info, outputDirectory: outputDirectory)
    }

    /// Writes the package unsigned (the bytes `stage` without a signer gives), lets the format
    /// sign it while it is still staged, and only then hashes it for the metadata, so the
    /// metadata describes the signed file.
    package static func stage(_ packager: any Packager, contents: PackageContents, info: PackageInfo,
                              outputDirectory: String, signer: any PackageSigner,
                              payloads: StagedPayloads? = nil) async throws -> Staged {
        let unsigned = try writeUnsigned(packager, contents: contents, info: info, outputDirectory: outputDirectory,
                                         payloads: payloads)
        do {
            let signature = try await packager.sign(packageAt: unsigned.partial, info: info, with: signer,
                                                    scratchDirectory: unsigned.scratch)
            let hashed = try DigestSink([.sha256, .sha512])
            try FileRange.append(unsigned.partial, to: hashed)
            let signed = Draft(scratch: unsigned.scratch, fileName: unsigned.fileName, partial: unsigned.partial,
                               size: hashed.byteCount, digests: hashed.finish())
            var signatureFile: String?
            if case .detached(let fileName) = signature { signatureFile = fileName }
            return try finish(signed, packager: packager, info: info, outputDirectory: outputDirectory,
                              signingKey: signer.keyFingerprint, signatureFile: signatureFile)
        } catch {
            try? FileManager.default.removeItem(atPath: unsigned.scratch)
            if Task.isCancelled { throw PackagingError.cancelled }
            throw error
        }
    }

    private static func writeUnsigned(_ packager: any Packager, contents: PackageContents, info: PackageInfo,
                                      outputDirectory: String, payloads: StagedPayloads?) throws -> Draft {
        try info.validate()
        let fileManager = FileManager.default
        try createOutputDirectory(outputDirectory)
        let scratch = try makeScratchDirectory(in: outputDirectory)
        do {
            let fileName = packager.fileName(for: info)
            let partial = scratch + "/" + fileName
            let sink = try FileSink(creating: partial, digests: [.sha256, .sha512])
            if let payloads {
                try packager.write(contents, info: info, payloads: payloads.payloads, to: sink, scratchDirectory: scratch)
            } else {
                try packager.write(contents, info: info, to: sink, scratchDirectory: scratch)
            }
            let digests = try sink.finish()
            return Draft(scratch: scratch, fileName: fileName, partial: partial, size: sink.byteCount, digests: digests)
        } catch {
            try? fileManager.removeItem(atPath: scratch)
            throw error
        }
    }

    private static func createOutputDirectory(_ outputDirectory: String) throws(PackagingError) {
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .output(path: outputDirectory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    private static func finish(_ draft: Draft, packager: any Packager, info: PackageInfo, outputDirectory: String,
                               signingKey: String? = nil, signatureFile: String? = nil) throws -> Staged {
        do {
            let format = type(of: packager).name
            let metadata = PackageMetadata(
                name: info.name, version: info.version, iteration: info.iteration,
                arch: packager.architectureName(for: info), platform: info.platform.id,
                platformVersion: info.platform.version, format: format, basename: draft.fileName, size: draft.size,
                sha256: draft.digests[0], sha512: draft.digests[1], buildEpoch: info.effectiveEpoch,
                versionManifest: info.versionManifest, signingKey: signingKey, signatureFile: signatureFile,
                baseSystem: info.baseSystem.floors)
            let metadataPartial = draft.partial + ".metadata.json"
            guard FileManager.default.createFile(atPath: metadataPartial, contents: metadata.encoded()) else {
                throw PackagingError.output(path: metadataPartial, reason: "cannot write the metadata file")
            }
            let path = outputDirectory + "/" + draft.fileName
            var built = BuiltPackage(format: format, path: path, metadataPath: path + ".metadata.json", metadata: metadata)
            built.signaturePath = signatureFile.map { outputDirectory + "/" + $0 }
            return Staged(built: built, partial: draft.partial, metadataPartial: metadataPartial,
                          signaturePartial: signatureFile.map { draft.scratch + "/" + $0 }, scratch: draft.scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: draft.scratch)
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
