import Foundation

/// Files of a freshly built layer that name the work dir. A build system that records where it
/// ran (Python's `_sysconfigdata`, a `-config` script, a libtool `.la`, a `.pc` file) makes the
/// package depend on the work dir: the same inputs built in another work dir, or on another CI
/// machine, give other bytes, and the package names a directory that does not exist where it
/// is installed. The compiler wrappers keep the path out of objects; this finds what they cannot.
package enum WorkDirReferences {
    /// How many files the warning names.
    static let named = 3

    /// The work dir as given and with its symlinks resolved (a build tool may record either).
    static func spellings(of workDir: String) -> [String] {
        let resolved = URL(fileURLWithPath: workDir).resolvingSymlinksInPath().path
        return resolved == workDir || resolved.isEmpty ? [workDir] : [workDir, resolved]
    }

    /// Paths (relative to the tree) of the regular files whose bytes contain one of `spellings`,
    /// and of the symlinks whose target does, in entry order.
    static func files(in tree: String, entries: [Layer.Entry], naming spellings: [String]) -> [String] {
        let needles = spellings.filter { !$0.isEmpty }.map { Array($0.utf8) }
        guard !needles.isEmpty else { return [] }
        var found: [String] = []
        for entry in entries {
            switch entry.kind {
            case .directory: continue
            case .symlink: if let target = entry.target, spellings.contains(where: { target.contains($0) }) { found.append(entry.path) }
            case .file:
                guard let data = try? Data(contentsOf: URL(fileURLWithPath: tree + "/" + entry.path), options: .alwaysMapped) else { continue }
                if needles.contains(where: { contains(data, $0) }) { found.append(entry.path) }
            }
        }
        return found
    }

    /// Whether `data` holds `needle`: memchr finds each candidate first byte, memcmp the rest.
    package static func contains(_ data: Data, _ needle: [UInt8]) -> Bool {
        guard data.count >= needle.count, let first = needle.first else { return false }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            guard let base = raw.baseAddress else { return false }
            var offset = 0
            let last = raw.count - needle.count
            return needle.withUnsafeBytes { pattern -> Bool in
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, pattern.baseAddress!, needle.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    /// The one line the build prints and logs.
    static func warning(software: String, workDir: String, files: [String]) -> String {
        let shown = files.prefix(named).joined(separator: ", ") + (files.count > named ? ", ..." : "")
        let count = files.count == 1 ? "1 installed file names" : "\(files.count) installed files name"
        return "warning: \(software): \(count) the work dir \(workDir) (\(shown)): built in another work dir, "
            + "the package gets other bytes; rewrite the path in a step after the install (docs/build.md, Reproducible output)"
    }
}
