import Digest
import Foundation

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
        /// The download's deadline passed (it counts every attempt and wait at this location);
        /// `lastFailure` is why the attempt before the last one ended, if one did.
        case deadlineExceeded(seconds: TimeInterval, attempts: Int, lastFailure: String?, advice: String)
        /// The last attempt received `received` bytes in `window` seconds, under `minimumRate`
        /// bytes per second.
        case tooSlow(received: Int64, window: TimeInterval, minimumRate: Int, attempts: Int, advice: String)

        /// What happened, without the location.
        package var reason: String { text(full: true) }

        /// `reason` without the attempt count and advice, as the deadline's message quotes the
        /// failure of an earlier attempt.
        package var briefReason: String { text(full: false) }

        private func text(full: Bool) -> String {
            func tries(_ attempts: Int) -> String { full ? Self.tries(attempts) : "" }
            func then(_ advice: String) -> String { full ? "; \(advice)" : "" }
            switch self {
            case .notFound:
                return "not found"
            case .httpStatus(let status, let attempts):
                return "HTTP status \(status)\(tries(attempts))"
            case .transport(let reason, let attempts):
                return "\(reason)\(tries(attempts))"
            case .checksumMismatch(let expected, let actual):
                return "checksum mismatch: expected \(expected.algorithm.rawValue) \(expected.hex), "
                    + "actual \(actual); the bad file was deleted"
            case .deadlineExceeded(let seconds, let attempts, let lastFailure, let advice):
                return "no complete download within \(Self.seconds(seconds)), the download deadline for all attempts "
                    + "together\(tries(attempts))" + (lastFailure.map { " (before that: \($0))" } ?? "") + then(advice)
            case .tooSlow(let received, let window, let minimumRate, let attempts, let advice):
                return "too slow: \(received) bytes in \(Self.seconds(window)), under the minimum of "
                    + "\(minimumRate) bytes/s\(tries(attempts))" + then(advice)
            }
        }

        private static func tries(_ attempts: Int) -> String {
            attempts > 1 ? " (after \(attempts) attempts)" : ""
        }

        /// "3 s", "0.5 s": whole seconds without a fraction, the way limits are usually given.
        private static func seconds(_ value: TimeInterval) -> String {
            value == value.rounded() && abs(value) < 1e12 ? "\(Int(value)) s" : String(format: "%.1f s", value)
        }
    }

    /// A URL or a path.
    package let location: String
    package let outcome: Outcome

    package init(location: String, outcome: Outcome) {
        self.location = location
        self.outcome = outcome
    }

    package var description: String { "\(location): \(outcome.reason)" }
}
