import Digest
/// One place a file was looked for, and what happened there; collected so that a final failure
/// can list every location tried.
package struct FetchAttempt: Sendable, Hashable, CustomStringConvertible {
    package enum Outcome: Sendable, Hashable {
        /// Nothing at that location (no such file, HTTP 404 or 410).
        case notFound
        /// The server answered with this status, after the retries the policy allows.
        case httpStatus(Int, attempts: Int)
        /// The connection or the local copy failed, after the retries the policy allows.
        case transport(String, attempts: Int)
        /// Bytes were there but had another digest; they were deleted.
        case checksumMismatch(expected: Checksum, actual: String)
    }

    /// A URL or a path.
    package let location: String
    package let outcome: Outcome

    package init(location: String, outcome: Outcome) {
        self.location = location
        self.outcome = outcome
    }

    package var description: String {
        switch outcome {
        case .notFound:
            return "\(location): not found"
        case .httpStatus(let status, let attempts):
            return "\(location): HTTP status \(status)\(Self.tries(attempts))"
        case .transport(let reason, let attempts):
            return "\(location): \(reason)\(Self.tries(attempts))"
        case .checksumMismatch(let expected, let actual):
            return "\(location): checksum mismatch: expected \(expected.algorithm.rawValue) \(expected.hex), "
                + "actual \(actual); the bad file was deleted"
        }
    }

    private static func tries(_ attempts: Int) -> String {
        attempts > 1 ? " (after \(attempts) attempts)" : ""
    }
}
