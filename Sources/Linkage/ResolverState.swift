import Foundation
import Synchronization

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
///
/// The file system is asked outside the lock, so threads never wait on each other's I/O; two
/// threads asking about the same path both ask, and get the same answer.
final class ResolverState: Sendable {
    private struct Tables {
        var probes: [String: Probe] = [:]
        var directories: [String: Bool] = [:]
        var realPaths: [String: String] = [:]
        var environments: [ELFTarget: LoaderEnvironment] = [:]
    }

    private let tables = Mutex(Tables())

    func probe(_ path: String) -> Probe {
        if let known = tables.withLock({ $0.probes[path] }) { return known }
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
        tables.withLock { $0.probes[path] = answer }
        return answer
    }

    /// Whether `path` is a directory; the loader, too, stops trying a directory it found missing.
    func directoryExists(_ path: String) -> Bool {
        if let known = tables.withLock({ $0.directories[path] }) { return known }
        var info = stat()
        let exists = stat(path.isEmpty ? "." : path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        tables.withLock { $0.directories[path] = exists }
        return exists
    }

    /// Canonical path (symlinks resolved); lexically normalised when it does not exist.
    func canonical(_ path: String) -> String {
        if let known = tables.withLock({ $0.realPaths[path] }) { return known }
        let answer = PathNames.realPath(path) ?? PathNames.lexicallyNormalized(path)
        tables.withLock { $0.realPaths[path] = answer }
        return answer
    }

    func environment(for target: ELFTarget, make: (ELFTarget) -> LoaderEnvironment) -> LoaderEnvironment {
        if let known = tables.withLock({ $0.environments[target] }) { return known }
        let made = make(target)
        tables.withLock { $0.environments[target] = made }
        return made
    }
}
