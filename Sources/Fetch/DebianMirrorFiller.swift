import Digest
import Foundation

/// Fills a source mirror directory with upstream tarballs taken from Debian source packages,
/// for machines that reach Debian's archive but not upstream sites.
///
/// For each request it runs `apt-get source --download-only PKG[=VERSION]` in a scratch
/// directory inside the mirror (apt verifies the downloads against its signed index), keeps
/// only `.orig` files whose digest equals the request's checksum, and stores the match as
/// `<mirror>/<file name>` and `<mirror>/<algorithm>/<hex>`. Nothing else is kept. apt's sources
/// are never changed: without `deb-src` entries the fill stops and says what to add.
package struct DebianMirrorFiller: Sendable {
    package let mirrorDirectory: String

    package init(mirrorDirectory: String) {
        self.mirrorDirectory = URL(fileURLWithPath: mirrorDirectory).standardizedFileURL.path
    }

    /// Fills the mirror. Per-request problems (no match, unknown version) are reported in the
    /// result; only machine-wide problems (no `deb-src`, no apt-get, unwritable mirror) throw.
    package func fill(_ requests: [DebianMirrorRequest],
                     log: (@Sendable (String) -> Void)? = nil) async throws(FetchError) -> DebianMirrorReport {
        try FileOps.createDirectory(mirrorDirectory)
        var entries: [DebianMirrorReport.Entry?] = []
        var pending: [(Int, DebianMirrorRequest)] = []
        for request in requests {
            if request.fileName.isEmpty || request.fileName.contains("/") || request.fileName.hasPrefix(".") {
                entries.append(.init(request: request, outcome: .failed(
                    "'\(request.fileName)' cannot be a mirror file name: it must be a plain file name (no '/', not starting with '.')")))
                continue
            }
            if let present = try presentPath(for: request) {
                entries.append(.init(request: request, outcome: .alreadyPresent(path: present)))
            } else {
                pending.append((entries.count, request))
                entries.append(nil)
            }
        }
        if !pending.isEmpty { try await AptSourceCheck.requireDebSrc() }
        var downloads: [String: AptDownload] = [:]
        var scratch: [String] = []
        defer { scratch.forEach(FileOps.remove) }
        for (index, request) in pending {
            let version = try await chooseVersion(for: request)
            let origin = DebianOrigin(package: request.package, version: version)
            if downloads[origin.aptArgument] == nil {
                log?("apt-get source --download-only \(origin.aptArgument)")
                let directory = try FileOps.makeTemporaryDirectory(in: mirrorDirectory, prefix: ".omnibus-debian-")
                scratch.append(directory)
                downloads[origin.aptArgument] = try await download(origin, into: directory)
            }
            let download = downloads[origin.aptArgument]!
            var outcome = try store(request, from: download.directory, version: version)
            // apt fails the whole command when any file is missing (mirrors and proxies often
            // lack an old .dsc); a verified .orig that did arrive is still good.
            if case .noMatch = outcome, let failure = download.failure { outcome = .failed(failure.description) }
            entries[index] = .init(request: request, outcome: outcome)
        }
        return DebianMirrorReport(entries: entries.compactMap { $0 })
    }

    /// The mirror path already holding the verified file, if any.
    private func presentPath(for request: DebianMirrorRequest) throws(FetchError) -> String? {
        for candidate in SourceMirror.directory(mirrorDirectory).candidates(fileName: request.fileName, checksum: request.checksum)
        where FileOps.isRegularFile(candidate.path) {
            if try request.checksum.check(file: candidate.path).matches { return candidate.path }
        }
        return nil
    }

    /// The requested version, else the one whose `.orig` has the requested sha256 according to
    /// apt's Sources index, else nil (apt's default candidate).
    private func chooseVersion(for request: DebianMirrorRequest) async throws(FetchError) -> String? {
        if let version = request.version { return version }
        guard request.checksum.algorithm == .sha256 else { return nil }
        let result = try await CommandRunner.run(["apt-cache", "showsrc", request.package])
        guard result.status == 0 else { return nil }
        return DebianSourceIndex(showsrcOutput: result.output).version(withOrigSHA256: request.checksum.hex)?.version
    }

    /// What `apt-get source` left in `directory`, and its failure if it failed.
    private struct AptDownload {
        let directory: String
        let failure: FetchError?
    }

    private func download(_ origin: DebianOrigin, into directory: String) async throws(FetchError) -> AptDownload {
        var arguments = ["apt-get", "source", "--download-only", "-q"]
        // As root apt would drop to the `_apt` user, which cannot write into our private
        // scratch directory; it then warns and downloads as root anyway. Say so up front.
        if geteuid() == 0 { arguments += ["-o", "APT::Sandbox::User=root"] }
        arguments.append(origin.aptArgument)
        let result = try await CommandRunner.run(arguments, in: directory, environment: ["LC_ALL": "C"])
        guard result.status != 0 else { return AptDownload(directory: directory, failure: nil) }
        var output = result.output
        if output.contains("Can not find version"), let known = await knownVersions(of: origin.package) {
            output += "\nversions apt knows for \(origin.package): \(known)"
        }
        return AptDownload(directory: directory, failure: .commandFailed(
            command: arguments.joined(separator: " "), status: result.status, output: output))
    }

    private func knownVersions(of package: String) async -> String? {
        guard let result = try? await CommandRunner.run(["apt-cache", "showsrc", package]), result.status == 0 else {
            return nil
        }
        let versions = DebianSourceIndex(showsrcOutput: result.output).versions.map(\.version)
        return versions.isEmpty ? nil : versions.joined(separator: ", ")
    }

    private func store(_ request: DebianMirrorRequest, from directory: String,
                       version: String?) throws(FetchError) -> DebianMirrorReport.Entry.Outcome {
        var found: [String: String] = [:]
        for name in try FileOps.sortedNames(in: directory) where DebianOrigFiles.isOrig(name) {
            let path = "\(directory)/\(name)"
            let verdict = try request.checksum.check(file: path)
            guard verdict.matches else {
                found[name] = verdict.actual
                continue
            }
            let checksum = request.checksum
            try FileOps.createDirectory("\(mirrorDirectory)/\(checksum.algorithm.rawValue)")
            let byChecksum = "\(mirrorDirectory)/\(checksum.algorithm.rawValue)/\(checksum.hex)"
            try FileOps.linkOrCopy(path, to: byChecksum)
            var paths = [byChecksum]
            let byName = "\(mirrorDirectory)/\(request.fileName)"
            // A different file already using the name is left alone: it may be someone's, and
            // the checksum entry is enough for lookup.
            if !FileOps.exists(byName) {
                try FileOps.linkOrCopy(path, to: byName)
                paths.insert(byName, at: 0)
            } else if try checksum.check(file: byName).matches {
                paths.insert(byName, at: 0)
            }
            return .stored(debianFile: name, version: version, paths: paths)
        }
        return .noMatch(version: version, found: found)
    }
}
