import Digest
/// Everything that can go wrong while fetching, verifying or unpacking a source. Each message
/// says what was being done, with which file, and what the user can do about it.
package enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidChecksum(String)
    case invalidMirror(String, reason: String)
    /// A source spec that cannot be used as given (bad file name, bad URL scheme, short commit).
    case invalidSource(String)
    /// A `url` source was found nowhere acceptable: every mirror and the upstream URL failed.
    case unavailable(fileName: String, checksum: Checksum, attempts: [FetchAttempt], hint: String?)
    /// A `mirrorOnly` source is in none of the configured mirrors.
    case notInMirrors(fileName: String, checksum: Checksum, debian: DebianOrigin?,
                      mirrors: [SourceMirror], attempts: [FetchAttempt], hint: String?)
    /// A pinned Python distribution was found nowhere acceptable (cache, mirrors, the index).
    case distributionUnavailable(distribution: String, checksum: Checksum, attempts: [FetchAttempt],
                                 upstreamAllowed: Bool, hint: String?)
    /// The index lists the release, but none of its files has the pinned checksum.
    case distributionChecksumUnknown(distribution: String, checksum: Checksum, index: String, files: [String])
    /// A command (git, apt-get) exited unsuccessfully.
    case commandFailed(command: String, status: Int32, output: String)
    /// After checkout, HEAD is not the pinned commit.
    case gitCommitMismatch(repository: String, expected: String, actual: String)
    case gitCommitNotFound(repository: String, commit: String)
    /// A `path` source's directory cannot be used (missing, unreadable, special file inside).
    case pathSource(directory: String, reason: String)
    /// A `path` source changed between hashing it and copying it.
    case pathChanged(directory: String, expected: String, actual: String)
    /// An archive member would land outside the extraction directory (or is a device node).
    case unsafeArchive(archive: String, entry: String, reason: String)
    /// libarchive could not read or write the archive.
    case extraction(archive: String, reason: String)
    case relativePathMissing(relativePath: String, root: String, topLevel: [String])
    case io(path: String, reason: String)
    /// `apt-get source` needs `deb-src` entries and the machine has none.
    case debSrcMissing(advice: String)
    /// The task was cancelled (Ctrl-C); whatever the fetch started has been stopped.
    case cancelled

    package var description: String {
        switch self {
        case .cancelled:
            return "interrupted"
        case .invalidChecksum(let message):
            return "invalid checksum: \(message)"
        case .invalidMirror(let text, let reason):
            return "invalid source mirror '\(text)': \(reason); give a directory or an http(s)/file URL"
        case .invalidSource(let message):
            return "invalid source: \(message)"
        case .unavailable(let fileName, let checksum, let attempts, let hint):
            var text = "cannot fetch \(fileName) (\(checksum)); tried:"
            for attempt in attempts { text += "\n  - \(attempt)" }
            if attempts.isEmpty { text += " nothing (no mirror configured and upstream downloads are disabled)" }
            text += "\nTo build offline, put the file in a source mirror directory as "
                + "<mirror>/\(fileName) or <mirror>/\(checksum.algorithm.rawValue)/\(checksum.hex) "
                + "and pass that mirror."
            if let hint { text += "\n\(hint)" }
            return text
        case .notInMirrors(let fileName, let checksum, let debian, let mirrors, let attempts, let hint):
            var text = "\(fileName) (\(checksum)) exists only in source mirrors (it has no upstream URL), "
            if mirrors.isEmpty {
                text += "and no source mirror is configured."
            } else {
                text += "and none of the configured mirrors has it; tried:"
                for attempt in attempts { text += "\n  - \(attempt)" }
            }
            text += "\nPut the file into a mirror directory as <mirror>/\(fileName) "
                + "(or <mirror>/\(checksum.algorithm.rawValue)/\(checksum.hex)) and pass that mirror "
                + "(--source-mirror <mirror>)."
            if let debian {
                text += "\nIt is the .orig file of the Debian source package '\(debian.aptArgument)': fetch it with "
                    + "`apt-get source --download-only \(debian.aptArgument)` (needs deb-src entries: "
                    + "scripts/enable-deb-src) and copy \(fileName) into the mirror, or let omnibus fill "
                    + "the mirror from Debian (see docs/sources.md)."
            }
            if let hint { text += "\n\(hint)" }
            return text
        case .distributionUnavailable(let distribution, let checksum, let attempts, let upstreamAllowed, let hint):
            var text = "cannot fetch the Python distribution \(distribution) (\(checksum)); tried:"
            for attempt in attempts { text += "\n  - \(attempt)" }
            if attempts.isEmpty { text += " nothing (no mirror holds it and upstream downloads are disabled)" }
            if !upstreamAllowed {
                text += "\nThe build is offline, so the package index was not asked. Fill a mirror with "
                    + "'omnibus mirror PROJECT --dir DIR' (it takes the distributions from PyPI) and build with --source-mirror DIR."
            } else if let hint {
                text += "\n\(hint)"
            }
            return text
        case .distributionChecksumUnknown(let distribution, let checksum, let index, let files):
            if files.isEmpty { return "\(index) lists no release \(distribution): check the name and the version" }
            return "\(index) lists no file of \(distribution) with \(checksum); its files are:\n"
                + files.map { "  - \($0)" }.joined(separator: "\n")
                + "\nPin the sha256 of the file to use (and 'file:' to choose among several)"
        case .commandFailed(let command, let status, let output):
            let tail = output.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
                .joined(separator: "\n")
            return "`\(command)` failed with exit status \(status)" + (tail.isEmpty ? "" : ":\n\(tail)")
        case .gitCommitMismatch(let repository, let expected, let actual):
            return "git checkout of \(repository) is at \(actual), not at the pinned commit \(expected)"
        case .gitCommitNotFound(let repository, let commit):
            return "commit \(commit) is not in \(repository) (after fetching all its branches and tags); "
                + "check the commit id in the definition"
        case .pathSource(let directory, let reason):
            return "path source \(directory): \(reason)"
        case .pathChanged(let directory, let expected, let actual):
            return "path source \(directory) changed while it was being copied (content hash \(expected) "
                + "before, \(actual) in the copy); retry when nothing is writing to it"
        case .unsafeArchive(let archive, let entry, let reason):
            return "refusing to extract \(archive): entry '\(entry)' \(reason); "
                + "nothing was written outside the extraction directory"
        case .extraction(let archive, let reason):
            return "cannot extract \(archive): \(reason)"
        case .relativePathMissing(let relativePath, let root, let topLevel):
            return "relative_path '\(relativePath)' is not a directory in the unpacked source \(root); "
                + "its top level has: \(topLevel.isEmpty ? "nothing" : topLevel.joined(separator: ", "))"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .debSrcMissing(let advice):
            return "apt has no deb-src entries, so `apt-get source` cannot find source packages.\n\(advice)"
        }
    }
}
