import Archive
import Digest
import Foundation

/// A Debian repository in a directory, laid out as apt expects from any static host:
///
///     pool/<component>/<prefix>/<name>/<name>_<version>_<arch>.deb
///     dists/<suite>/<component>/binary-<arch>/Packages{,.gz,.xz}
///     dists/<suite>/{Release,Release.gpg,InRelease}
///     key.asc
///
/// The suite's `Packages` files are the record of what it holds: a publish reads them, adds the
/// new stanzas, and writes every index of the suite again.
package struct AptRepository: Sendable {
    package struct Options: Sendable, Equatable {
        package var path: String
        package var suite: String
        package var component: String
        package var origin: String
        package var label: String
        package var description: String

        package init(path: String, suite: String = "stable", component: String = "main", origin: String, label: String,
                     description: String) {
            self.path = path
            self.suite = suite
            self.component = component
            self.origin = origin
            self.label = label
            self.description = description
        }
    }

    package let options: Options

    package init(_ options: Options) { self.options = options }

    private var suiteDir: String { options.path + "/dists/" + options.suite }

    /// Adds `debs` to the suite and component. A package already there with the same bytes is
    /// left alone; with other bytes it is refused unless `replace`. `epoch` dates the Release
    /// file and its signatures; the date never goes back from the one already published.
    package func publish(_ debs: [String], replace: Bool, epoch: Int64, signer: RepositorySigner?) async throws(PublishError) -> PublishSummary {
        if let signer { try await signer.check() }
        let lock = try await RepositoryLock.acquire(directory: options.path)
        defer { withExtendedLifetime(lock) {} }
        var index = try AptIndex.load(suiteDirectory: suiteDir, component: options.component)
        var summary = PublishSummary()
        var copies: [(source: String, target: String)] = []
        for path in debs {
            let deb = try DebPackageFile.read(path)
            let relative = "pool/\(options.component)/\(Self.poolPrefix(deb.name))/\(deb.name)/\(deb.canonicalFileName)"
            let target = options.path + "/" + relative
            let key = AptIndex.Key(name: deb.name, version: deb.version, architecture: deb.architecture)
            let onDisk = FileManager.default.fileExists(atPath: target)
            let existing = index.stanzas[key]
            let indexedSame = existing?["SHA256"] == deb.sha256
            let diskSame = onDisk && RepositoryFiles.sameBytes(target, path)
            if (existing != nil && !indexedSame) || (onDisk && !diskSame) {
                guard replace else {
                    throw .conflict(package: "\(deb.name) \(deb.version) (\(deb.architecture))",
                                    existing: existing != nil ? "listed in \(options.suite)/\(options.component)" : relative,
                                    repository: options.path)
                }
                summary.replaced.append(relative)
            } else if indexedSame && diskSame {
                summary.unchanged.append(relative)
                continue
            } else {
                summary.added.append(relative)
            }
            index.stanzas[key] = Self.stanza(for: deb, fileName: relative)
            copies.append((path, target))
        }
        if Task.isCancelled { throw .cancelled }
        let indexes = try index.files(suiteDirectory: suiteDir, component: options.component)
        // Nothing new is a no-op only when what is published is complete: a run that failed or
        // was interrupted after writing the indexes left a Release its signatures do not sign.
        if summary.added.isEmpty, summary.replaced.isEmpty, try await isPublished(indexes, signer: signer) {
            return summary
        }
        // Packages before the indexes that name them, the signed Release last: a client syncing
        // meanwhile sees the old, consistent repository.
        for copy in copies { try RepositoryFiles.copy(copy.source, to: copy.target, modificationTime: epoch) }
        // The indexes the live signed files name, kept under by-hash for clients that read them.
        let previouslySigned = AptRelease.sha256Sums(ofReleaseIn: suiteDir).union(AptRelease.sha256Sums(ofInReleaseIn: suiteDir))
        try AptIndex.write(indexes, suiteDirectory: suiteDir)
        let date = max(epoch, AptRelease.date(ofReleaseIn: suiteDir) ?? epoch)
        let release = try releaseText(date: date)
        let releasePath = suiteDir + "/Release"
        let staged = StagedSwitch()
        if let signer {
            let stagedRelease = try staged.stage(Data(release.utf8), as: releasePath)
            try staged.stage(try await signer.detached(stagedRelease, at: date), as: suiteDir + "/Release.gpg")
            try staged.stage(try await signer.clearSigned(stagedRelease, at: date), as: suiteDir + "/InRelease")
            if Task.isCancelled { throw .cancelled }
            // Release.gpg, then Release, then InRelease: a Release that InRelease carries word for
            // word was renamed after its Release.gpg, so the check above can trust the set.
            try staged.commit(order: [suiteDir + "/Release.gpg", releasePath, suiteDir + "/InRelease"])
            // After the signatures: a key.asc that matches is proof they were made with this key.
            try RepositoryFiles.write(try await signer.publicKey(), to: options.path + "/" + RepositorySigner.publicKeyFile)
        } else {
            // Signatures of an earlier Release would no longer match: apt would refuse the suite.
            try RepositoryFiles.remove(suiteDir + "/Release.gpg")
            try RepositoryFiles.remove(suiteDir + "/InRelease")
            try staged.stage(Data(release.utf8), as: releasePath)
            try staged.commit(order: [releasePath])
        }
        try AptByHash.prune(suiteDirectory: suiteDir, keeping: previouslySigned.union(AptRelease.sha256Sums(ofReleaseIn: suiteDir)))
        summary.indexesWritten = true
        return summary
    }

    private func releaseText(date: Int64) throws(PublishError) -> String {
        try AptRelease(origin: options.origin, label: options.label, suite: options.suite, date: date,
                       description: options.description).text(suiteDirectory: suiteDir)
    }

    /// Whether the suite already holds exactly `indexes` (and their by-hash copies), a Release
    /// that is the one this publish would write at the published date, and the signatures that
    /// go with it: with a signer, `InRelease` carrying that Release, `Release.gpg` and this
    /// key's `key.asc` (both renamed before, see above); without one, no signature at all.
    private func isPublished(_ indexes: [AptIndex.File], signer: RepositorySigner?) async throws(PublishError) -> Bool {
        let manager = FileManager.default
        for file in indexes {
            let path = suiteDir + "/" + file.relative
            guard let data = manager.contents(atPath: path), Array(data) == file.bytes,
                  manager.fileExists(atPath: (path as NSString).deletingLastPathComponent + "/by-hash/SHA256/" + file.sha256)
            else { return false }
        }
        guard let date = AptRelease.date(ofReleaseIn: suiteDir), let published = manager.contents(atPath: suiteDir + "/Release"),
              Data(try releaseText(date: date).utf8) == published else { return false }
        guard let signer else {
            return !manager.fileExists(atPath: suiteDir + "/InRelease") && !manager.fileExists(atPath: suiteDir + "/Release.gpg")
        }
        guard manager.fileExists(atPath: suiteDir + "/Release.gpg"),
              AptRelease.signedText(ofInReleaseIn: suiteDir).map({ Data($0.utf8) }) == published else { return false }
        return manager.contents(atPath: options.path + "/" + RepositorySigner.publicKeyFile) == (try await signer.publicKey())
    }

    /// Debian's pool layout: the first letter, or `libX` for library packages, so no directory
    /// of the pool grows to thousands of entries.
    static func poolPrefix(_ name: String) -> String {
        name.hasPrefix("lib") && name.count > 3 ? String(name.prefix(4)) : String(name.prefix(1))
    }

    /// The control fields as the package states them, then where apt finds the file and the
    /// digests it checks the download against.
    static func stanza(for deb: DebPackageFile, fileName: String) -> ControlStanza {
        var stanza = ControlStanza()
        let description = deb.control["Description"]
        // What the repository computes: a control file stating any of these would shadow the
        // real values, since apt reads the first.
        let computed: Set = ["description", "filename", "size", "md5sum", "sha1", "sha256", "sha512"]
        for field in deb.control.fields where !computed.contains(field.name.lowercased()) {
            stanza.fields.append(field)
        }
        stanza.fields += [("Filename", fileName), ("Size", String(deb.size)), ("MD5sum", deb.md5), ("SHA256", deb.sha256),
                          ("SHA512", deb.sha512)]
        if let description { stanza.fields.append(("Description", description)) }
        return stanza
    }
}

/// The stanzas of one component of a suite, keyed by what identifies a package in apt.
struct AptIndex {
    struct Key: Hashable, Comparable {
        var name: String
        var version: String
        var architecture: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.name, lhs.architecture, lhs.version) < (rhs.name, rhs.architecture, rhs.version)
        }
    }

    var stanzas: [Key: ControlStanza] = [:]

    static func load(suiteDirectory: String, component: String) throws(PublishError) -> AptIndex {
        var index = AptIndex()
        let componentDir = suiteDirectory + "/" + component
        // A component not published yet is empty; one that cannot be listed is not.
        guard FileManager.default.fileExists(atPath: componentDir) else { return index }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: componentDir) } catch {
            throw .damagedIndex(path: componentDir, reason: "it cannot be listed: \(error.localizedDescription)")
        }
        for directory in entries.sorted() where directory.hasPrefix("binary-") {
            let (path, text) = try readPackages(in: componentDir + "/" + directory)
            let stanzas: [ControlStanza]
            do { stanzas = try ControlStanza.parseAll(text) } catch {
                throw .damagedIndex(path: path, reason: error.description)
            }
            for stanza in stanzas {
                guard let name = stanza["Package"], let version = stanza["Version"], let architecture = stanza["Architecture"] else {
                    throw .damagedIndex(path: path, reason: "a paragraph lacks Package, Version or Architecture")
                }
                index.stanzas[Key(name: name, version: version, architecture: architecture)] = stanza
            }
        }
        return index
    }

    /// `Packages`, else `Packages.xz` or `Packages.gz` (a site synced with only the compressed
    /// indexes); without any, the packages it listed would silently leave the suite.
    private static func readPackages(in directory: String) throws(PublishError) -> (path: String, text: String) {
        var failures: [String] = []
        for name in ["Packages", "Packages.xz", "Packages.gz"] {
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do { return (path, String(decoding: try Decompressor.contents(ofFile: path), as: UTF8.self)) } catch {
                failures.append("\(name): \(error.description)")
            }
        }
        throw .damagedIndex(path: directory, reason: failures.isEmpty ? "it holds no Packages, Packages.xz or Packages.gz"
                                                                      : failures.joined(separator: "; "))
    }

    /// One index file, relative to the suite directory.
    struct File {
        var relative: String
        var bytes: [UInt8]
        var sha256: String
    }

    /// `binary-<arch>/Packages{,.gz,.xz}` for every architecture; `Architecture: all` packages
    /// are listed under each, as apt looks for them in the index of the machine's architecture.
    /// `binary-all` (the only index while no other architecture is published) is written again
    /// as long as it exists, so it never lists a package other indexes list with other bytes.
    func files(suiteDirectory: String, component: String) throws(PublishError) -> [File] {
        var architectures = Set(stanzas.keys.map(\.architecture).filter { $0 != "all" })
        if architectures.isEmpty || FileManager.default.fileExists(atPath: "\(suiteDirectory)/\(component)/binary-all") { architectures.insert("all") }
        var files: [File] = []
        for architecture in architectures.sorted() {
            let keys = stanzas.keys.filter { $0.architecture == architecture || $0.architecture == "all" }.sorted()
            let bytes = Array(keys.map { stanzas[$0]!.text }.joined(separator: "\n").utf8)
            let directory = component + "/binary-" + architecture
            // The plain index last: it is the one a later publish reads first.
            var compressed: [(String, [UInt8])] = []
            do {
                compressed = [("Packages.gz", try Compressor.compress(bytes, with: ArchiveCompression(.gzip))),
                              ("Packages.xz", try Compressor.compress(bytes, with: ArchiveCompression(.xz)))]
            } catch {
                throw .write(path: directory, reason: "\(error)")
            }
            for (name, content) in compressed + [("Packages", bytes)] {
                let sha256: String
                do { sha256 = try Digests.hex(.sha256, of: content) } catch { throw .write(path: directory + "/" + name, reason: error.description) }
                files.append(File(relative: directory + "/" + name, bytes: content, sha256: sha256))
            }
        }
        return files
    }

    /// Each file and, first, its by-hash copy (apt fetches by the digest InRelease names).
    static func write(_ files: [File], suiteDirectory: String) throws(PublishError) {
        for file in files {
            let path = suiteDirectory + "/" + file.relative
            try AptByHash.store(file.bytes, sha256: file.sha256, directory: (path as NSString).deletingLastPathComponent)
            try RepositoryFiles.write(file.bytes, to: path)
        }
    }
}
