/// Why a package could not be written, worded so that the user knows what to change.
package enum PackagingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Every problem found in the package description at once (name, version, fields, ...).
    case invalidInfo([String])
    /// The install dir (or the directory being packaged) is missing or not a directory.
    case missingRoot(path: String, reason: String)
    /// A file under the install dir could not be read or examined.
    case unreadable(path: String, reason: String)
    /// A file changed size while it was being packaged.
    case changedWhilePackaging(path: String)
    /// A file name the formats cannot carry (not UTF-8, a newline, ...).
    case unsupportedName(path: String, reason: String)
    /// Something in the tree a package format cannot hold (a device, a socket, a 4 GiB rpm file).
    case unsupportedEntry(path: String, reason: String)
    /// A `config_files` entry that is not a regular file in the package.
    case configFileNotPackaged(path: String, reason: String)
    /// libarchive or the digest library failed.
    case archive(String)
    /// The package or its metadata could not be written to the output directory.
    case output(path: String, reason: String)
    /// The package could not be signed (the signer failed or returned something unusable).
    case signing(String)
    /// The task was cancelled (Ctrl-C) while writing; nothing was put in place.
    case cancelled

    package var description: String {
        switch self {
        case .cancelled:
            "interrupted"
        case .invalidInfo(let problems):
            "cannot package: " + problems.joined(separator: "; ")
        case .missingRoot(let path, let reason):
            "\(path): cannot package this directory: \(reason) (build the project first?)"
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason)"
        case .changedWhilePackaging(let path):
            "\(path): the file changed while it was being packaged; is a build still writing to the install dir?"
        case .unsupportedName(let path, let reason):
            "\(path): \(reason); rename the file or exclude it with `exclude`"
        case .unsupportedEntry(let path, let reason):
            "\(path): \(reason); remove it from the install dir or exclude it with `exclude`"
        case .configFileNotPackaged(let path, let reason):
            "config file \(path): \(reason); `config_files` must name regular files inside the package"
        case .archive(let message):
            "writing the package failed: \(message)"
        case .output(let path, let reason):
            "\(path): cannot write the package: \(reason)"
        case .signing(let message):
            "signing the package failed: \(message)"
        }
    }
}
