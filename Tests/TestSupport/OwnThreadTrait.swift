import Dispatch
import Foundation
import Synchronization
import Testing

/// Runs each test of a suite on a thread of its own instead of the shared concurrency pool.
///
/// The pool has one thread per core, and Swift Testing starts every test at once: on a 2-core
/// machine, a test's next step waits behind the CPU-bound work of hundreds of others. A test
/// that measures a deadline, a rate or a server's lifetime then sees its timer fire minutes
/// late (a 3 s download deadline fired after the 20 s download had finished). The executor
/// preference reaches the test's child tasks too (task groups, `async let`), so the code under
/// test keeps its timers on that thread; Test.current and the other task-locals stay intact
/// because the test still runs in its own task.
package struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func provideScope(for test: Test, testCase: Test.Case?,
                              performing function: @Sendable () async throws -> Void) async throws {
        // Called for the suite too: only a test case gets a thread.
        guard testCase != nil, !test.isSuite else { return try await function() }
        let executor = DedicatedThreadExecutor(name: test.name)
        defer { executor.finish() }
        try await OwnThreadTrait.$executor.withValue(executor) {
            try await withTaskExecutorPreference(executor) { try await function() }
        }
    }

    /// The running test's executor, for the unstructured tasks it starts (`Task {}` does not
    /// inherit an executor preference): `Task(executorPreference: OwnThreadTrait.executor) {...}`.
    @TaskLocal package static var executor: (any TaskExecutor)?
}

extension Trait where Self == OwnThreadTrait {
    /// See `OwnThreadTrait`: for tests whose outcome depends on timers running on time.
    package static var ownThread: Self { OwnThreadTrait() }
}

/// A task executor that runs every job it is given, in order, on one thread.
final class DedicatedThreadExecutor: TaskExecutor {
    private let pending = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in runJobs() }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: UnownedJob) {
        pending.withLock { $0.append(job) }
        available.signal()
    }

    /// Lets the thread end once it has run every job enqueued so far; the scope has ended, so
    /// no structured work of the test can enqueue another.
    func finish() {
        available.signal()
    }

    private func runJobs() {
        while true {
            available.wait()
            guard let job = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
