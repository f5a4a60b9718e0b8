/// Compares a tree on disk with the entries of its layer record: the one rule for "this entry
/// is what its record says", applied to every local cache hit, before uploading and after a
/// remote restore.
enum LayerTreeCheck {
    /// The first difference, in path order, or nil when the tree is exactly the record.
    /// - Parameter contents: compare SHA-256 digests too (`actual` was scanned with hashing).
    static func difference(expected: [Layer.Entry], actual: [Layer.Entry], contents: Bool) -> String? {
        let wanted = Dictionary(expected.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let found = Dictionary(actual.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for path in Set(wanted.keys).union(found.keys).sorted() {
            guard let want = wanted[path] else { return "\(path) is not in the layer record" }
            guard let have = found[path] else { return "\(path) is missing" }
            if have.kind != want.kind { return "\(path) is a \(have.kind.rawValue), the record says \(want.kind.rawValue)" }
            if have.mode != want.mode { return "\(path) has mode \(octal(have.mode)), the record says \(octal(want.mode))" }
            if have.target != want.target {
                return "\(path) points to '\(have.target ?? "")', the record says '\(want.target ?? "")'"
            }
            if want.kind == .file {
                if have.size != want.size { return "\(path) has \(have.size ?? 0) bytes, the record says \(want.size ?? 0)" }
                if contents, have.sha256 != want.sha256 {
                    return "\(path) has SHA-256 \(have.sha256 ?? "none"), the record says \(want.sha256 ?? "none")"
                }
            }
        }
        return nil
    }

    /// Whether a record's path stays inside the tree: relative, no empty, `.` or `..` component.
    static func isContained(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    private static func octal(_ mode: UInt32) -> String { "0" + String(mode, radix: 8) }
}
