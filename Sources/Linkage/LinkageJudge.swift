import Foundation
import Synchronization

/// Applies the policy to one file's link map.
struct LinkageJudge: Sendable {
    /// The install dir as given (absolute) and with symlinks resolved.
    let root: String
    let canonicalRoot: String
    let policy: HealthCheckPolicy
    let resolver: LibraryResolver
    /// The same few hundred library names and paths come up in every file; judge each once.
    private let memo = Memo()

    init(root: String, canonicalRoot: String, policy: HealthCheckPolicy, resolver: LibraryResolver) {
        self.root = root
        self.canonicalRoot = canonicalRoot
        self.policy = policy
        self.resolver = resolver
    }

    func examine(_ path: String) -> FileOutcome {
        let parsed: ParsedELF
        do {
            guard let found = try resolver.checkedFile(at: path) else { return .notELF }
            parsed = found
        } catch {
            return .unreadable(error.description)
        }
        return .checked(findings(resolver.linkMap(for: parsed)))
    }

    func findings(_ map: LinkMap) -> [Finding] {
        var result: [Finding] = []
        for entry in map.searchPaths {
            guard let expanded = entry.expanded else { continue }
            if !expanded.hasPrefix("/") {
                result.append(Finding(library: entry.raw, resolvedPath: expanded, reason: .searchPathOutsideInstallDir,
                                      searchPathTag: entry.tag, detail: "relative to the working directory of the process"))
            } else if !inside(expanded) {
                result.append(Finding(library: entry.raw, resolvedPath: expanded, reason: .searchPathOutsideInstallDir,
                                      searchPathTag: entry.tag))
            }
        }
        for limit in map.limitsExceeded {
            // The checked file itself is named by its path, with no "=> where" to repeat it.
            let isFile = limit.neededBy == nil && limit.path == map.file.path
            result.append(Finding(library: isFile ? display(limit.path) : limit.name, resolvedPath: isFile ? nil : limit.path,
                                  reason: .limitExceeded, neededBy: limit.neededBy.flatMap { $0 == map.file.path ? nil : display($0) },
                                  detail: limit.explanation))
        }
        if let interpreter = map.file.interpreter, let finding = judge(interpreter, at: interpreter, detail: "program interpreter") {
            result.append(finding)
        }
        for object in map.objects {
            let neededBy = object.neededBy.flatMap { $0 == map.file.path ? nil : display($0) }
            switch object.kind {
            case .vdso:
                continue
            case .interpreter:
                if object.path == map.file.interpreter { continue }
                if let path = object.path, let finding = judge(object.name, at: path, neededBy: neededBy) {
                    result.append(finding)
                }
            case .library:
                guard let path = object.path else {
                    result.append(Finding(library: object.name, resolvedPath: nil, reason: .notFound, neededBy: neededBy))
                    continue
                }
                if let error = object.loadError {
                    result.append(Finding(library: object.name, resolvedPath: path, reason: .cannotLoad, neededBy: neededBy, detail: error))
                } else if let finding = judge(object.name, at: path, neededBy: neededBy) {
                    result.append(finding)
                }
            }
        }
        return result
    }

    /// A finding when `path` is outside the install dir (after resolving symlinks) and `name`
    /// is not allowed.
    private func judge(_ name: String, at path: String, neededBy: String? = nil, detail: String? = nil) -> Finding? {
        let canonical = resolver.canonical(PathNames.absolute(path))
        if PathNames.isInside(canonical, root: canonicalRoot) { return nil }
        if memo.value(name, in: \.allowed, compute: policy.isAllowed) { return nil }
        var note = detail
        if display(path) != path {
            note = [detail, "a symlink inside the install dir leads to \(canonical)"].compactMap { $0 }.joined(separator: "; ")
        }
        return Finding(library: name, resolvedPath: path, reason: .outsideInstallDir, neededBy: neededBy, detail: note)
    }

    private func inside(_ directory: String) -> Bool {
        PathNames.isInside(resolver.canonical(directory), root: canonicalRoot)
    }

    /// A path relative to the install dir when it is inside, else as is.
    private func display(_ path: String) -> String {
        memo.value(path, in: \.display, compute: relativeDisplay)
    }

    private func relativeDisplay(_ path: String) -> String {
        let normalized = PathNames.lexicallyNormalized(path)
        for base in [root, canonicalRoot] where PathNames.isInside(normalized, root: base) && normalized != base {
            return String(normalized.dropFirst(base == "/" ? 1 : base.count + 1))
        }
        return path
    }
}

/// Memoised answers shared by the threads judging files.
private final class Memo: Sendable {
    struct Tables {
        var allowed: [String: Bool] = [:]
        var display: [String: String] = [:]
    }

    private let tables = Mutex(Tables())

    /// `compute` runs outside the lock so threads missing different keys do not wait on each
    /// other; two threads missing the same key both compute it, and the answers are equal.
    func value<T: Sendable>(_ key: String, in table: WritableKeyPath<Tables, [String: T]>, compute: (String) -> T) -> T {
        if let known = tables.withLock({ $0[keyPath: table][key] }) { return known }
        let value = compute(key)
        tables.withLock { $0[keyPath: table][key] = value }
        return value
    }
}
