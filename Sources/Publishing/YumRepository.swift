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
        let lock = try await RepositoryLock.acquire(directory: path)
        defer { withExtendedLifetime(lock) {} }
        var present = try indexedPackages()
        var summary = PublishSummary()
        var copies: [(source: String, target: String, time: Int64)] = []
        // Replaced rpms under another file name: removed only after the new repomd.xml is in
        // place, so a publish that fails later in this loop (or before the switch) leaves the
        // live index naming files that all exist.
        var removals: [String] = []
        for source in rpms {
            let package = try YumPackage.read(source, location: "")
            let fileName = package.canonicalFileName
            let target = path + "/" + fileName
            // The same name, version and architecture under another file name is the same package too.
            let nevra = package.header.nevra
            let clash = present.first { $0.key == fileName && $0.value.header.nevra == nevra }
                ?? present.first { $0.value.header.nevra == nevra }
            if let clash, clash.value.checksum == package.checksum, clash.key == fileName {
                summary.unchanged.append(fileName)
                continue
            }
            if let clash {
                guard replace else {
                    throw .conflict(package: nevra, existing: clash.key, repository: path)
                }
                if clash.key != fileName { removals.append(clash.key) }
                present[clash.key] = nil
                summary.replaced.append(fileName)
            } else if FileManager.default.fileExists(atPath: target) {
                guard replace else { throw .conflict(package: nevra, existing: fileName, repository: path) }
                summary.replaced.append(fileName)
            } else {
                summary.added.append(fileName)
            }
            copies.append((source, target, Int64(package.header.buildTime)))
            present[fileName] = YumPackage(header: package.header, checksum: package.checksum, size: package.size, location: fileName)
        }
        if Task.isCancelled { throw .cancelled }
        let packages = present.keys.sorted().map { present[$0]! }
        let indexes = try Self.indexes(of: packages)
        let repomdPath = repodata + "/repomd.xml"
        // Nothing new is a no-op only when what is published is complete (see isPublished).
        if summary.added.isEmpty, summary.replaced.isEmpty, try await isPublished(indexes, signer: signer) {
            return summary
        }
        for copy in copies { try RepositoryFiles.copy(copy.source, to: copy.target, modificationTime: copy.time) }
        for index in indexes { try RepositoryFiles.write(index.compressed, to: path + "/" + index.location) }
        let previous = YumMetadata.locations(inRepomdIn: repodata)
        let date = max(epoch, YumMetadata.revision(ofRepomdIn: repodata) ?? epoch)
        let repomd = Data(YumMetadata.repomd(indexes.map { $0.record(at: date) }, revision: date).utf8)
        let staged = StagedSwitch()
        let stagedRepomd = try staged.stage(repomd, as: repomdPath)
        if let signer {
            try staged.stage(try await signer.detached(stagedRepomd, at: date), as: repomdPath + ".asc")
            if Task.isCancelled { throw .cancelled }
            // The signature first, repomd.xml last: a repomd.xml equal to the one this publish
            // would write was renamed after its signature, so the check above can trust the pair.
            try staged.commit(order: [repomdPath + ".asc", repomdPath])
            try RepositoryFiles.write(try await signer.publicKey(), to: path + "/" + RepositorySigner.publicKeyFile)
        } else {
            try RepositoryFiles.remove(repomdPath + ".asc")
            try staged.commit(order: [repomdPath])
        }
        // After the switch: the rpms replaced under another name, and the indexes neither the new
        // nor the previous repomd.xml names (a client that read the previous one while the site
        // was synced still finds its indexes, as apt's by-hash keeps one generation).
        for name in removals where present[name] == nil { try RepositoryFiles.remove(path + "/" + name) }
        let kept = Set((indexes.map(\.location) + previous).map { ($0 as NSString).lastPathComponent })
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: repodata)) ?? [])
            where !kept.contains(name) && YumMetadata.kinds.contains(where: { name.hasSuffix("-\($0).xml.gz") }) {
            try RepositoryFiles.remove(repodata + "/" + name)
        }
        summary.indexesWritten = true
        return summary
    }

    /// One compressed index, named by its checksum (a client holding an old repomd.xml never
    /// fetches a newer index under its name).
    struct Index {
        var kind: String
        var compressed: [UInt8]
        var checksum: String
        var openChecksum: String
        var openSize: Int
        var location: String { "repodata/\(checksum)-\(kind).xml.gz" }

        func record(at date: Int64) -> YumMetadata.Record {
            .init(kind: kind, checksum: checksum, openChecksum: openChecksum, location: location, timestamp: date,
                  size: compressed.count, openSize: openSize)
        }
    }

    private static func indexes(of packages: [YumPackage]) throws(PublishError) -> [Index] {
        var indexes: [Index] = []
        let documents = [("primary", YumMetadata.primary(packages)), ("filelists", YumMetadata.filelists(packages)),
                         ("other", YumMetadata.other(packages))]
        for (kind, text) in documents {
            let open = Array(text.utf8)
            let compressed: [UInt8]
            do { compressed = try Compressor.compress(open, with: ArchiveCompression(.gzip)) } catch {
                throw .write(path: "repodata", reason: error.description)
            }
            indexes.append(Index(kind: kind, compressed: compressed, checksum: try sha256(compressed), openChecksum: try sha256(open),
                                 openSize: open.count))
        }
        return indexes
    }

    /// Whether repodata already holds `indexes` and the repomd.xml this publish would write at
    /// the published revision, with (signer) its signature and this key's `key.asc`, both
    /// renamed before repomd.xml, or (no signer) no signature at all. A run that failed or was
    /// interrupted before repomd.xml was renamed fails this, and the next publish writes it.
    private func isPublished(_ indexes: [Index], signer: RepositorySigner?) async throws(PublishError) -> Bool {
        let manager = FileManager.default
        let repomdPath = repodata + "/repomd.xml"
        guard indexes.allSatisfy({ RepositoryFiles.size(of: path + "/" + $0.location) == Int64($0.compressed.count) }),
              let revision = YumMetadata.revision(ofRepomdIn: repodata),
              manager.contents(atPath: repomdPath) == Data(YumMetadata.repomd(indexes.map { $0.record(at: revision) }, revision: revision).utf8)
        else { return false }
        guard let signer else { return !manager.fileExists(atPath: repomdPath + ".asc") }
        guard manager.fileExists(atPath: repomdPath + ".asc") else { return false }
        return manager.contents(atPath: path + "/" + RepositorySigner.publicKeyFile) == (try await signer.publicKey())
    }

    /// Every rpm at the top of the repository, by file name.
    private func indexedPackages() throws(PublishError) -> [String: YumPackage] {
        let names: [String]
        // A listing that fails must not read as an empty repository: every rpm would leave the index.
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .damagedIndex(path: path, reason: "it cannot be listed: \(error.localizedDescription)")
        }
        var packages: [String: YumPackage] = [:]
        for name in names.sorted() where name.hasSuffix(".rpm") {
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
