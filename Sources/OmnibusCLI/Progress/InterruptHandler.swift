import Foundation
import OmnibusKit

/// Turns Ctrl-C (and SIGTERM from a CI runner) into stopping every build process group, so
/// nothing keeps running and nothing half-done is packaged.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(registry: ProcessRegistry, onInterrupt: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                onInterrupt()
                registry.cancelAll()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
