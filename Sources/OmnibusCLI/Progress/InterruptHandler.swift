import Foundation

/// Turns Ctrl-C (and SIGTERM from a CI runner) into one call of `onInterrupt`, which cancels the
/// running task; the Kit stops every child process and packages nothing.
final class InterruptHandler {
    private let sources: [DispatchSourceSignal]

    init(onInterrupt: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onInterrupt)
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
