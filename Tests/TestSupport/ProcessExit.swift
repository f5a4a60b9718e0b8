import Foundation

extension Process {
    /// Starts the process and waits for it to exit without holding a Swift concurrency thread.
    ///
    /// The test process has only as many of those threads as the machine has cores. A test that
    /// sat in `waitUntilExit` for a build's minutes held one of them, and with two such tests
    /// every other test (and the download tests' deadline timers) waited behind them: on a
    /// 2-core CI machine a 3 s deadline fired only after the 20 s download had finished.
    package func runUntilExit() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            terminationHandler = { _ in continuation.resume() }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

extension Process {
    /// Waits for a process that is already running to exit, for the same reason as
    /// `runUntilExit` (a termination handler set after `run()` could miss an early exit).
    package func exited() async {
        while isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
