import Foundation

/// How long one download may take and how slowly it may arrive. An idle timeout alone never
/// fires for a server that sends a byte now and then, and it is paid again on every retry.
package struct DownloadLimits: Sendable, Hashable {
    package static let defaultDeadline: TimeInterval = 600
    package static let defaultMinimumRate = 1024
    package static let defaultRateWindow: TimeInterval = 30

    /// Seconds from the first request to a location until its last byte: every attempt and
    /// every wait between attempts counts.
    package var deadline: TimeInterval
    /// Bytes per second an attempt must average over `rateWindow`, or it is abandoned (and
    /// retried while the deadline allows); 0 turns the check off.
    package var minimumRate: Int
    package var rateWindow: TimeInterval
    /// Ends the message when the deadline passes: how to allow more time. The CLI names its
    /// flag, variable and config key here.
    package var deadlineAdvice: String
    /// Ends the message when an attempt is too slow: how to change the minimum.
    package var rateAdvice: String

    package init(deadline: TimeInterval = defaultDeadline, minimumRate: Int = defaultMinimumRate,
                 rateWindow: TimeInterval = defaultRateWindow,
                 deadlineAdvice: String = "to allow more time, raise the download deadline (DownloadLimits.deadline)",
                 rateAdvice: String = "for a slow link, lower the minimum rate (DownloadLimits.minimumRate; 0 turns the check off)") {
        self.deadline = max(0, deadline)
        self.minimumRate = max(0, minimumRate)
        self.rateWindow = max(0, rateWindow)
        self.deadlineAdvice = deadlineAdvice
        self.rateAdvice = rateAdvice
    }
}
