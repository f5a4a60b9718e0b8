import Synchronization

/// Counts what the resolver does, for tests: time on a shared machine is noise, these counts are
/// not, so a test can show that work grows linearly with its input.
final class WorkCounters: Sendable {
    struct Snapshot: Equatable, CustomStringConvertible {
        /// Files read (checked files and library candidates). Two threads reading one file at
        /// the same moment count once: the count says what the memo keeps, not how threads met.
        var filesOpened = 0
        /// Directory paths looked at, plus directories listed (counted as `filesOpened` is).
        var directoriesRead = 0
        /// Search directories consulted for a name (a listing looked up, or a candidate opened).
        var directoryLookups = 0
        /// `DT_NEEDED` entries followed by the load walks, summed over every walk.
        var neededFollowed = 0

        var description: String {
            "\(filesOpened) files opened, \(directoriesRead) directories read, \(directoryLookups) directory lookups, \(neededFollowed) DT_NEEDED entries followed"
        }
    }

    private let filesOpened = Atomic<Int>(0)
    private let directoriesRead = Atomic<Int>(0)
    private let directoryLookups = Atomic<Int>(0)
    private let neededFollowed = Atomic<Int>(0)

    func openedFile() { filesOpened.add(1, ordering: .relaxed) }
    func readDirectory() { directoriesRead.add(1, ordering: .relaxed) }
    func lookedUp(_ count: Int) { directoryLookups.add(count, ordering: .relaxed) }
    func followed(_ count: Int) { neededFollowed.add(count, ordering: .relaxed) }

    var snapshot: Snapshot {
        Snapshot(filesOpened: filesOpened.load(ordering: .relaxed), directoriesRead: directoriesRead.load(ordering: .relaxed),
                 directoryLookups: directoryLookups.load(ordering: .relaxed), neededFollowed: neededFollowed.load(ordering: .relaxed))
    }
}
