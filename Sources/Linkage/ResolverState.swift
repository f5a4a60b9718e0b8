import Foundation

/// What a path holds, from the loader's point of view.
enum Probe: Sendable {
    /// Nothing the loader could open.
    case absent
    /// A file: its first bytes (the loader judges the ELF header itself, before anything else)
    /// and the result of parsing it.
    case file(header: [UInt8], parsed: Result<ParsedELF, ELFError>)

    var elf: ParsedELF? {
        if case .file(_, .success(let parsed)) = self { return parsed }
        return nil
    }
}

/// Memoised file-system answers shared by every file checked: the answer for a library path is
/// the same whichever file needs it, so each library is opened and parsed once per run.
final class ResolverState: @unchecked Sendable {
    private let lock = NSLock()
    private var probes: [String: Probe] = [:]
    private var directories: [String: Bool] = [:]
    private var realPaths: [String: String] = [:]
    private var environments: [ELFTarget: LoaderEnvironment] = [:]

    func probe(_ path: String) -> Probe {
        if let known = locked({ probes[path] }) { return known }
        let answer: Probe
        do {
            let reader = try BoundedFileReader(path: path)
            let head = try reader.read(offset: 0, count: Int(min(reader.size, ELFParser.headRead)))
            let parsed: Result<ParsedELF, ELFError>
            if head.starts(with: ELFParser.magic) {
                do { parsed = .success(try ELFParser.parse(reader: reader, head: head)) } catch { parsed = .failure(error) }
            } else {
                parsed = .failure(ELFError(path: path, problem: .notELF))
            }
            answer = .file(header: Array(head.prefix(64)), parsed: parsed)
        } catch {
            // The loader goes on searching when it cannot open a candidate.
            if case .unreadable = error.problem { answer = .absent } else { answer = .file(header: [], parsed: .failure(error)) }
        }
        locked { probes[path] = answer }
        return answer
    }

    /// Whether `path` is a directory; the loader, too, stops trying a directory it found missing.
    func directoryExists(_ path: String) -> Bool {
        if let known = locked({ directories[path] }) { return known }
        var info = stat()
        let exists = stat(path.isEmpty ? "." : path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        locked { directories[path] = exists }
        return exists
    }

    /// Canonical path (symlinks resolved); lexically normalised when it does not exist.
    func canonical(_ path: String) -> String {
        if let known = locked({ realPaths[path] }) { return known }
        let answer = PathNames.realPath(path) ?? PathNames.lexicallyNormalized(path)
        locked { realPaths[path] = answer }
        return answer
    }

    func environment(for target: ELFTarget, make: (ELFTarget) -> LoaderEnvironment) -> LoaderEnvironment {
        if let known = locked({ environments[target] }) { return known }
        let made = make(target)
        locked { environments[target] = made }
        return made
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
