import Archive
import Digest
import Foundation
import Packaging

/// A yum/dnf repository in a directory: the `.rpm` files at its top, and `repodata/` with
/// `repomd.xml` (signed in `repomd.xml.asc`) naming the primary, filelists and other indexes.
/// The rpm files are the record of what it holds: a publish copies the new ones in and indexes
/// every rpm in the directory again, as `createrepo_c` does without `--update`.
package struct YumRepository: Sendable {
    package let path: String

    package init(path: String) { self.path = path }

    private var repodata: String { path + "/repodata" }

    package func publish(_ rpms: [String], replace: Bool, epoch: Int64, signer: RepositorySigner?) async throws(PublishError) -> PublishSummary {
        if let signer { try await signer.check() }
        let lock = try RepositoryLock(directory: path)
        defer { withExtendedLifetime(lock) {} }
        var present = try indexedPackages()
        var summary = PublishSummary()
        var copies: [(source: String, target: String, time: Int64)] = []
        for source in rpms {
            let package = try YumPackage.read(source, location: "")
            let fileName = package.canonicalFileName
            let target = path + "/" + fileName
            // The same name, version and architecture under another file name is the same package too.
            let clash = present.first { $0.value.header.nevra == package.header.nevra }
            if let clash, clash.value.checksum == package.checksum, clash.key == fileName {
                summary.unchanged.append(fileName)
                continue
            }
            if let clash {
                guard replace else {
                    throw .conflict(package: package.header.nevra, existing: clash.key, repository: path)
                }
                try RepositoryFiles.remove(path + "/" + clash.key)
                present[clash.key] = nil
                summary.replaced.append(fileName)
            } else if FileManager.default.fileExists(atPath: target) {
                guard replace else { throw .conflict(package: package.header.nevra, existing: fileName, repository: path) }
                summary.replaced.append(fileName)
            } else {
                summary.added.append(fileName)
            }
            copies.append((source, target, Int64(package.header.buildTime)))
            present[fileName] = YumPackage(header: package.header, checksum: package.checksum, size: package.size, location: fileName)
        }
        if summary.added.isEmpty, summary.replaced.isEmpty, FileManager.default.fileExists(atPath: repodata + "/repomd.xml") {
            return summary
        }
        if Task.isCancelled { throw .cancelled }
        for copy in copies { try RepositoryFiles.copy(copy.source, to: copy.target, modificationTime: copy.time) }

        let packages = present.keys.sorted().map { present[$0]! }
        let documents = [("primary", YumMetadata.primary(packages)), ("filelists", YumMetadata.filelists(packages)),
                         ("other", YumMetadata.other(packages))]
        let date = max(epoch, YumMetadata.revision(ofRepomdIn: repodata) ?? epoch)
        var records: [YumMetadata.Record] = []
        for (kind, text) in documents {
            let open = Array(text.utf8)
            let compressed: [UInt8]
            do { compressed = try Compressor.compress(open, with: ArchiveCompression(.gzip)) } catch {
                throw .write(path: repodata, reason: error.description)
            }
            let checksum = try Self.sha256(compressed)
            // Named by content, so a client holding an old repomd.xml never fetches a newer index under it.
            let location = "repodata/\(checksum)-\(kind).xml.gz"
            try RepositoryFiles.write(compressed, to: path + "/" + location)
            records.append(.init(kind: kind, checksum: checksum, openChecksum: try Self.sha256(open), location: location,
                                 timestamp: date, size: compressed.count, openSize: open.count))
        }
        let repomdPath = repodata + "/repomd.xml"
        try RepositoryFiles.write(Data(YumMetadata.repomd(records, revision: date).utf8), to: repomdPath)
        if let signer {
            try RepositoryFiles.write(try await signer.publicKey(), to: path + "/" + RepositorySigner.publicKeyFile)
            try RepositoryFiles.write(try await signer.detached(repomdPath, at: date), to: repomdPath + ".asc")
        } else {
            try RepositoryFiles.remove(repomdPath + ".asc")
        }
        // Indexes the new repomd.xml no longer names; removed last, after the switch.
        let kept = Set(records.map { ($0.location as NSString).lastPathComponent })
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: repodata)) ?? [])
            where !kept.contains(name) && documents.contains(where: { name.hasSuffix("-\($0.0).xml.gz") }) {
            try RepositoryFiles.remove(repodata + "/" + name)
        }
        summary.indexesWritten = true
        return summary
    }

    /// Every rpm at the top of the repository, by file name.
    private func indexedPackages() throws(PublishError) -> [String: YumPackage] {
        var packages: [String: YumPackage] = [:]
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() where name.hasSuffix(".rpm") {
            packages[name] = try YumPackage.read(path + "/" + name, location: name)
        }
        return packages
    }

    private static func sha256(_ bytes: [UInt8]) throws(PublishError) -> String {
        do { return try Digests.hex(.sha256, of: bytes) } catch { throw .write(path: "repodata", reason: error.description) }
    }
}

/// An rpm as the indexes describe it.
struct YumPackage {
    let header: RPMPackageDescription
    let checksum: String
    let size: Int64
    /// Relative to the repository root.
    let location: String
    /// `time file`: createrepo takes the file's modification time; the build time is used here
    /// (and the copy's modification time set to it) so the index does not depend on the disk.
    var fileTime: Int64 { Int64(header.buildTime) }

    var canonicalFileName: String {
        "\(header.name)-\(header.version)-\(header.release).\(header.arch).rpm"
    }

    static func read(_ path: String, location: String) throws(PublishError) -> YumPackage {
        let header: RPMPackageDescription
        do { header = try RPMPackageReader.read(path: path) } catch {
            throw .unreadablePackage(path: path, reason: error.description)
        }
        // They become the file's name in the repository.
        for (tag, value) in [("name", header.name), ("version", header.version), ("release", header.release), ("arch", header.arch)]
            where value.isEmpty || value.contains("/") || value.hasPrefix(".") || value.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw .unreadablePackage(path: path, reason: "its \(tag) '\(value)' cannot be part of a file name")
        }
        let checksum = try RepositoryFiles.digests(ofFile: path, [.sha256])[.sha256] ?? ""
        return YumPackage(header: header, checksum: checksum, size: RepositoryFiles.size(of: path), location: location)
    }
}

extension RPMPackageDescription {
    /// `name-[epoch:]version-release.arch`, as dnf names a package.
    var nevra: String {
        "\(name)-\(epoch == 0 ? "" : "\(epoch):")\(version)-\(release).\(arch)"
    }
}
