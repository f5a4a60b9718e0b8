import Digest
import Foundation
import Packaging
import Scratch
#if canImport(Glibc)
import Glibc
#endif

/// The files one packaging run wrote (each format's package, its detached signature, its
/// metadata and SBOMs, and the version manifest), kept as `<cache>/packages/<key>/` with
/// `entry.json` naming every file with its size and SHA-256; the key is `PackageReuseKey`'s.
///
/// Nothing is served on trust: a restore hashes every file against `entry.json` and treats any
/// difference as damage (the entry is removed and packaging runs), unless every file still has
/// the stat recorded after the last such hash (`PackageFileStamps`). Files are hard-linked where
/// the cache and the output dir share a file system (a package written into `pkg/` is never
/// changed in place: every write renames a new file over it), copied otherwise.
struct PackageCache: Sendable {
    let directory: String

    init(cacheDir: String) {
        directory = cacheDir + "/packages"
    }

    private struct Record: Codable {
        struct File: Codable {
            let name: String
            let size: Int64
            let sha256: String
        }

        struct Package: Codable {
            let format: String
            let file: String
            let metadataFile: String
            let signatureFile: String?
        }

        let key: String
        /// The project packaged (for `omnibus cache list` and `clear`); absent in older entries.
        var project: String? = nil
        /// In the order they are put into the output dir: packages, signatures and SBOMs, the
        /// version manifest, metadata files last (a metadata file means a finished package).
        let files: [File]
        let packages: [Package]
    }

    enum Lookup {
        case hit([BuiltPackage])
        case miss
        /// The entry was damaged (a file missing or with other bytes) and was removed.
        case corrupt(String)
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Puts the entry's files into `outputDir` and returns the packages as packaging would have
    /// (`replacedSHA256` set when a file of the same name had other bytes).
    func restore(_ key: String, into outputDir: String, versionManifest: Data) -> Lookup {
        let entry = directory + "/" + key
        guard let data = FileManager.default.contents(atPath: entry + "/entry.json") else { return .miss }
        let lock = keyLock(key)
        defer { withExtendedLifetime(lock) {} }
        lock?.lock(exclusive: false)
        let record: Record
        let packages: [BuiltPackage]
        do throws(Problem) {
            record = try Self.decode(data, key: key)
            let stamps = PackageFileStamps(entry: entry)
            if !stamps.unchanged(record.files.map(\.name)) {
                try Self.verify(record, in: entry)
                stamps.record(record.files.map(\.name))
            }
            packages = try record.packages.map { package throws(Problem) in
                try Self.built(package, entry: entry, outputDir: outputDir, versionManifest: versionManifest)
            }
        } catch {
            lock?.lock(exclusive: true)
            remove(key)
            return .corrupt(error.description)
        }
        do {
            let restored = try put(record, from: entry, into: outputDir, packages: packages)
            utimes(entry, nil)
            return .hit(restored)
        } catch {
            // The output dir refused the files: packaging will say so, with its own words.
            return .miss
        }
    }

    /// Keeps the files a packaging run just wrote. A failure only costs the next run a packaging.
    func store(_ key: String, project: String, packages: [BuiltPackage], versionManifestPath: String) throws(Problem) {
        let fm = FileManager.default
        let temporary = directory + "/" + OwnedName.make(prefix: ".incoming-")
        defer { ScratchFiles.remove(temporary) }
        do { try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true) } catch {
            throw Problem(description: "cannot create \(temporary): \(error.localizedDescription)")
        }
        var files: [Record.File] = []
        var metadataFiles: [Record.File] = []
        var entries: [Record.Package] = []
        func keep(_ path: String, knownSHA256: String? = nil) throws(Problem) -> Record.File {
            let name = (path as NSString).lastPathComponent
            try Self.linkOrCopy(path, to: temporary + "/" + name)
            var info = stat()
            guard lstat(temporary + "/" + name, &info) == 0 else { throw Problem(description: "cannot stat the copy of \(path)") }
            let digest: String
            if let knownSHA256 { digest = knownSHA256 } else {
                do { digest = try Digests.hex(.sha256, ofFile: temporary + "/" + name) } catch {
                    throw Problem(description: "cannot read \(path): \(error)")
                }
            }
            return Record.File(name: name, size: Int64(info.st_size), sha256: digest)
        }
        let outputDir = packages.first.map { ($0.path as NSString).deletingLastPathComponent } ?? ""
        for package in packages {
            files.append(try keep(package.path, knownSHA256: package.metadata.sha256))
            if let signaturePath = package.signaturePath { files.append(try keep(signaturePath)) }
            for name in package.metadata.describedBy { files.append(try keep(outputDir + "/" + name)) }
            metadataFiles.append(try keep(package.metadataPath))
            entries.append(Record.Package(format: package.format, file: (package.path as NSString).lastPathComponent,
                                          metadataFile: (package.metadataPath as NSString).lastPathComponent,
                                          signatureFile: package.signaturePath.map { ($0 as NSString).lastPathComponent }))
        }
        files.append(try keep(versionManifestPath))
        let record = Record(key: key, project: project, files: files + metadataFiles, packages: entries)
        // A package that does not come back exactly as packaging returned it is not kept.
        for (entry, package) in zip(entries, packages) {
            let manifest = package.metadata.versionManifest ?? Data()
            let back = try Self.built(entry, entry: temporary, outputDir: outputDir, versionManifest: manifest)
            guard back.metadata == package.metadata else {
                throw Problem(description: "the metadata of \(entry.file) does not read back as written")
            }
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(record).write(to: URL(fileURLWithPath: temporary + "/entry.json"))
        } catch {
            throw Problem(description: "cannot write \(temporary)/entry.json: \(error.localizedDescription)")
        }
        let lock = keyLock(key)
        defer { withExtendedLifetime(lock) {} }
        lock?.lock(exclusive: true)
        remove(key)
        guard rename(temporary, directory + "/" + key) == 0 else {
            throw Problem(description: "cannot rename \(temporary) into place: \(String(cString: strerror(errno)))")
        }
    }

    private static func decode(_ data: Data, key: String) throws(Problem) -> Record {
        guard let record = try? JSONDecoder().decode(Record.self, from: data) else {
            throw Problem(description: "its entry.json is unreadable")
        }
        guard record.key == key else { throw Problem(description: "its entry.json is for key \(record.key)") }
        return record
    }

    private static func verify(_ record: Record, in entry: String) throws(Problem) {
        for file in record.files {
            let path = entry + "/" + file.name
            var info = stat()
            guard !file.name.contains("/"), lstat(path, &info) == 0 else { throw Problem(description: "\(file.name) is missing") }
            guard Int64(info.st_size) == file.size else {
                throw Problem(description: "\(file.name) has \(info.st_size) bytes, not \(file.size)")
            }
            guard let digest = try? Digests.hex(.sha256, ofFile: path), digest == file.sha256 else {
                throw Problem(description: "\(file.name) does not have the SHA-256 it was stored with")
            }
        }
    }

    /// A package as packaging returns it, from its stored metadata file.
    private static func built(_ package: Record.Package, entry: String, outputDir: String,
                              versionManifest: Data) throws(Problem) -> BuiltPackage {
        guard let data = FileManager.default.contents(atPath: entry + "/" + package.metadataFile),
              var metadata = PackageMetadata.decode(data),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem(description: "\(package.metadataFile) is not a package metadata file")
        }
        // `decode` leaves out what a reader of metadata files does not need; the report does.
        metadata.versionManifest = versionManifest
        metadata.signingKey = object["signing_key"] as? String
        metadata.signatureFile = object["signature_file"] as? String
        metadata.describedBy = object["described_by"] as? [String] ?? []
        guard metadata.encoded() == data else {
            throw Problem(description: "\(package.metadataFile) does not match what this omnibus writes")
        }
        return BuiltPackage(restoredFormat: package.format, path: outputDir + "/" + package.file,
                            metadataPath: outputDir + "/" + package.metadataFile, metadata: metadata,
                            signaturePath: package.signatureFile.map { outputDir + "/" + $0 })
    }

    /// Links (or copies) every file into a scratch directory in `outputDir`, then renames each
    /// into place in the record's order, as packaging would.
    private func put(_ record: Record, from entry: String, into outputDir: String,
                     packages: [BuiltPackage]) throws(Problem) -> [BuiltPackage] {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: outputDir, withIntermediateDirectories: true) } catch {
            throw Problem(description: "cannot create \(outputDir): \(error.localizedDescription)")
        }
        AbandonedTemporaries.sweep(outputDir, prefix: Self.scratchPrefix)
        let scratch = outputDir + "/" + OwnedName.make(prefix: Self.scratchPrefix)
        defer { ScratchFiles.remove(scratch) }
        do { try fm.createDirectory(atPath: scratch, withIntermediateDirectories: false) } catch {
            throw Problem(description: "cannot create \(scratch): \(error.localizedDescription)")
        }
        // A file already in place that is the entry's own is left alone: relinking it would move
        // its ctime and cost the next restore a hash of every file (`PackageFileStamps`).
        let moved = record.files.filter { !Self.sameFile(outputDir + "/" + $0.name, entry + "/" + $0.name) }
        for file in moved { try Self.linkOrCopy(entry + "/" + file.name, to: scratch + "/" + file.name) }
        var restored = packages
        for index in restored.indices {
            let package = restored[index]
            // The file already in place is this entry's own (linked from it by the last run):
            // the same bytes, just verified, with no need to read them again.
            let name = (package.path as NSString).lastPathComponent
            if Self.sameFile(package.path, entry + "/" + name) { continue }
            if let previous = try? Digests.hex(.sha256, ofFile: package.path), previous != package.metadata.sha256 {
                restored[index].replacedSHA256 = previous
            }
            // A signature left by an earlier signed run would not match these bytes.
            if package.signaturePath == nil { unlink(package.path + ".asc") }
        }
        for file in moved where rename(scratch + "/" + file.name, outputDir + "/" + file.name) != 0 {
            throw Problem(description: "cannot put \(file.name) into \(outputDir): \(String(cString: strerror(errno)))")
        }
        return restored
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return lstat(a, &first) == 0 && lstat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// Names of scratch directories in the output dir (swept when their process is gone).
    private static let scratchPrefix = ".omnibus-reuse-"

    private static func linkOrCopy(_ source: String, to destination: String) throws(Problem) {
        if link(source, destination) == 0 { return }
        do { try FileManager.default.copyItem(atPath: source, toPath: destination) } catch {
            throw Problem(description: "cannot copy \(source) to \(destination): \(error.localizedDescription)")
        }
    }

    /// Removes an entry: renamed aside first, so a reader never sees it half deleted.
    func remove(_ key: String) {
        let doomed = directory + "/" + OwnedName.make(prefix: ".removing-")
        if rename(directory + "/" + key, doomed) == 0 { ScratchFiles.remove(doomed) }
    }

    /// `<packages>/.locks/<key>.lock`, shared while an entry is read, exclusive while written.
    private func keyLock(_ key: String) -> FileLock? {
        try? FileManager.default.createDirectory(atPath: directory + "/.locks", withIntermediateDirectories: true)
        return FileLock(path: directory + "/.locks/" + key + ".lock")
    }

    /// One stored entry, as `omnibus cache list` shows it.
    struct Stored: Sendable {
        let key: String
        let project: String?
        /// The formats and the version of the packages, from their file names; nil when entry.json is unreadable.
        let formats: [String]?
        let files: [String]
        let bytes: Int64
        let lastUsed: Date
    }

    func stored() -> [Stored] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { key in
            let entry = directory + "/" + key
            let record = FileManager.default.contents(atPath: entry + "/entry.json").flatMap { try? JSONDecoder().decode(Record.self, from: $0) }
            var info = stat()
            // A restore sets the entry's time (`utimes`): it is the last use.
            let used = stat(entry, &info) == 0 ? Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) : Date.distantPast
            return Stored(key: key, project: record?.project, formats: record?.packages.map(\.format),
                          files: record?.packages.map(\.file) ?? [], bytes: LayerCache.diskUsage(entry), lastUsed: used)
        }
    }

    /// Hashes every file of the entry for `key` against entry.json, stamps or no stamps, and
    /// removes the entry when one differs (`omnibus cache verify`); the problem, or nil when sound.
    func check(_ key: String) -> String? {
        let entry = directory + "/" + key
        let lock = keyLock(key)
        defer { withExtendedLifetime(lock) {} }
        lock?.lock(exclusive: false)
        do throws(Problem) {
            guard let data = FileManager.default.contents(atPath: entry + "/entry.json") else {
                throw Problem(description: "its entry.json is missing")
            }
            let record = try Self.decode(data, key: key)
            try Self.verify(record, in: entry)
            return nil
        } catch {
            lock?.lock(exclusive: true)
            remove(key)
            return error.description
        }
    }

    /// Temporaries left by processes that died while storing or removing.
    func sweepStale() {
        AbandonedTemporaries.sweep(directory, prefix: ".incoming-")
        AbandonedTemporaries.sweep(directory, prefix: ".removing-")
    }
}
