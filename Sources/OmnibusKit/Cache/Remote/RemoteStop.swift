/// Ends a restore or upload early with its outcome: the steps throw it, the operation returns it.
struct RemoteStop: Error, Sendable {
    let outcome: RemoteOutcome

    init(_ outcome: RemoteOutcome) { self.outcome = outcome }

    static func rejected(_ why: RemoteRejection) -> RemoteStop { RemoteStop(.rejected(why)) }
    static func unavailable(_ why: RemoteUnavailability) -> RemoteStop { RemoteStop(.unavailable(why)) }
    static func skipped(_ why: RemoteSkip) -> RemoteStop { RemoteStop(.skipped(why)) }
}
