/// Why a package could not be added to a repository, worded for the person publishing.
package enum PublishError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A package file that cannot be read as what it claims to be.
    case unreadablePackage(path: String, reason: String)
    /// The repository already holds this name, version and architecture with other bytes.
    case conflict(package: String, existing: String, repository: String)
    /// An existing index of the repository cannot be understood.
    case damagedIndex(path: String, reason: String)
    case write(path: String, reason: String)
    case signing(String)
    /// Another publish is writing to the same repository right now.
    case busy(path: String)
    case cancelled

    package var description: String {
        switch self {
        case .unreadablePackage(let path, let reason):
            "\(path): cannot publish: \(reason)"
        case .conflict(let package, let existing, let repository):
            "\(repository) already has \(package) with different bytes (\(existing)); a published version must not change under its users. Raise the project's iteration and rebuild, or pass --replace to overwrite it"
        case .damagedIndex(let path, let reason):
            "\(path): the repository's index cannot be read (\(reason)); repair or remove it and publish again"
        case .write(let path, let reason):
            "cannot write \(path): \(reason)"
        case .signing(let message):
            "cannot sign the repository: \(message)"
        case .busy(let path):
            "another omnibus publish is writing to \(path); run again when it has finished (publishes into one repository run one at a time)"
        case .cancelled:
            "interrupted"
        }
    }
}
