import Definitions

/// A source kind that Fetch can bring in: the definitions' `SourceKind` plus how its bytes are
/// identified and fetched. A new kind is one type conforming to this in `Kinds/`, listed in
/// `SourceKinds.standard`.
package protocol FetchableSource: SourceKind {
    /// What identifies the bytes without fetching them where possible (a checksum, a commit);
    /// a path source hashes its directory.
    func identity() throws(FetchError) -> String
    /// Makes the bytes available locally and verified, through the fetcher's cache and mirrors.
    func fetch(with fetcher: SourceFetcher, events: FetchEventHandler?) async throws(FetchError) -> FetchedSource
}

/// The source kinds definitions may use, in the order messages list them.
package enum SourceKinds {
    package static let standard: [any FetchableSource.Type] = [URLSource.self, GitSource.self, PathSource.self,
                                                                MirrorFileSource.self, PyPISource.self]
}

extension Source {
    /// The decoded source as Fetch runs it; every registered kind is fetchable by construction.
    package var fetchable: any FetchableSource {
        get throws(FetchError) {
            guard let fetchable = kind as? any FetchableSource else {
                throw .invalidSource("source kind '\(kindName)' is registered for definitions but Fetch cannot fetch it")
            }
            return fetchable
        }
    }
}
