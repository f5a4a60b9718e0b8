import Foundation
import Graph

/// How long each software of a project took the last time it was built from source, kept in
/// the cache (`<cache>/durations/<project>.json`) so the scheduler can start the longest chain
/// first. Only an ordering hint: a missing or unreadable file means "no data", never a failure.
struct BuildDurations {
    private(set) var seconds: [String: Double]
    let path: String

    init(cacheDir: String, project: String) {
        path = cacheDir + "/durations/" + project + ".json"
        let data = FileManager.default.contents(atPath: path) ?? Data()
        seconds = (try? JSONDecoder().decode([String: Double].self, from: data)) ?? [:]
    }

    mutating func record(_ software: String, seconds value: Double) { seconds[software] = value }

    /// Written whole, through a temporary file, so a concurrent reader never sees half of it.
    func save() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(seconds) else { return }
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// For each software, its own last duration plus the longest chain of software that waits
    /// for it: what is still to build through it. A software never built counts as the mean of
    /// those that were (0 with no data, which leaves every software equal).
    func remainingChains(_ order: [ResolvedSoftware]) -> [String: Double] {
        let known = order.compactMap { seconds[$0.name] }
        let unknown = known.isEmpty ? 0 : known.reduce(0, +) / Double(known.count)
        var dependents: [String: [String]] = [:]
        for node in order { for dependency in node.dependencies { dependents[dependency, default: []].append(node.name) } }
        var chain: [String: Double] = [:]
        // `order` is topological: every dependent comes later, so walking it backwards finds
        // each dependent's chain already computed.
        for node in order.reversed() {
            let after = dependents[node.name, default: []].compactMap { chain[$0] }.max() ?? 0
            chain[node.name] = (seconds[node.name] ?? unknown) + after
        }
        return chain
    }

    /// `ready` with the longest remaining chain first; equal chains keep their order in `ready`,
    /// so a first build (no data) starts software exactly as the build order lists them.
    static func longestChainFirst(_ ready: [ResolvedSoftware], chains: [String: Double]) -> [ResolvedSoftware] {
        ready.enumerated().sorted { lhs, rhs in
            let (left, right) = (chains[lhs.element.name] ?? 0, chains[rhs.element.name] ?? 0)
            return left != right ? left > right : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
