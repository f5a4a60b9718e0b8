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
        let lock = try RepositoryLock(directory: options.path)
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
        if summary.added.isEmpty, summary.replaced.isEmpty, FileManager.default.fileExists(atPath: suiteDir + "/Release") {
            return summary
        }
        if Task.isCancelled { throw .cancelled }
        // Packages before the indexes that name them, the signed Release last: a client syncing
        // meanwhile sees the old, consistent repository.
        for copy in copies { try RepositoryFiles.copy(copy.source, to: copy.target, modificationTime: epoch) }
        let previouslySigned = AptRelease.sha256Sums(ofReleaseIn: suiteDir)
        try index.write(suiteDirectory: suiteDir, component: options.component)
        let date = max(epoch, AptRelease.date(ofReleaseIn: suiteDir) ?? epoch)
        let release = try AptRelease(origin: options.origin, label: options.label, suite: options.suite, date: date,
                                     description: options.description).text(suiteDirectory: suiteDir)
        let releasePath = suiteDir + "/Release"
        try RepositoryFiles.write(Data(release.utf8), to: releasePath)
        if let signer {
            try RepositoryFiles.write(try await signer.publicKey(), to: options.path + "/" + RepositorySigner.publicKeyFile)
            try RepositoryFiles.write(try await signer.detached(releasePath, at: date), to: suiteDir + "/Release.gpg")
            try RepositoryFiles.write(try await signer.clearSigned(releasePath, at: date), to: suiteDir + "/InRelease")
        } else {
            // Signatures of an earlier Release would no longer match: apt would refuse the suite.
            try RepositoryFiles.remove(suiteDir + "/Release.gpg")
            try RepositoryFiles.remove(suiteDir + "/InRelease")
        }
        try AptByHash.prune(suiteDirectory: suiteDir, keeping: previouslySigned.union(AptRelease.sha256Sums(ofReleaseIn: suiteDir)))
        summary.indexesWritten = true
        return summary
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
        for field in deb.control.fields where field.name.lowercased() != "description" {
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
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: componentDir)) ?? []
        for directory in entries.sorted() where directory.hasPrefix("binary-") {
            let path = componentDir + "/" + directory + "/Packages"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let stanzas: [ControlStanza]
            do { stanzas = try ControlStanza.parseAll(String(decoding: data, as: UTF8.self)) } catch {
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

    /// `binary-<arch>/Packages{,.gz,.xz}` for every architecture; `Architecture: all` packages
    /// are listed under each, as apt looks for them in the index of the machine's architecture.
    func write(suiteDirectory: String, component: String) throws(PublishError) {
        var architectures = Set(stanzas.keys.map(\.architecture).filter { $0 != "all" })
        if architectures.isEmpty { architectures = ["all"] }
        let componentDir = suiteDirectory + "/" + component
        for architecture in architectures.sorted() {
            let keys = stanzas.keys.filter { $0.architecture == architecture || $0.architecture == "all" }.sorted()
            let text = keys.map { stanzas[$0]!.text }.joined(separator: "\n")
            let bytes = Array(text.utf8)
            let directory = componentDir + "/binary-" + architecture
            do {
                try RepositoryFiles.write(try Compressor.compress(bytes, with: ArchiveCompression(.gzip)), to: directory + "/Packages.gz")
                try RepositoryFiles.write(try Compressor.compress(bytes, with: ArchiveCompression(.xz)), to: directory + "/Packages.xz")
            } catch let error as PublishError {
                throw error
            } catch {
                throw .write(path: directory, reason: "\(error)")
            }
            try RepositoryFiles.write(bytes, to: directory + "/Packages")
            try AptByHash.store(directory: directory, files: ["Packages", "Packages.gz", "Packages.xz"])
        }
    }
}
