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
/// threads asking about the same path both ask, and the first answer stored is the one kept.
final class ResolverState: Sendable {
    private struct Tables {
        var probes: [String: Probe] = [:]
        /// ELF files read, by identity, with their first bytes: a second path to one of them
        /// is opened (to learn its identity) but not read or parsed again.
        var objects: [FileID: (header: [UInt8], parsed: ParsedELF)] = [:]
        var listings: [String: DirectoryListing] = [:]
        /// Listings by directory identity, so every path to one directory shares one listing.
        var listingsByID: [FileID: DirectoryListing] = [:]
        var searchLists: [SearchListKey: SearchList] = [:]
        var objectSearchLists: [ObjectKey: ObjectSearchLists] = [:]
        var environments: [ELFTarget: LoaderEnvironment] = [:]
    }

    private struct NeedsKey: Hashable {
        let object: ObjectKey
        /// The inherited search lists, by identity: every list comes from `searchList`, which
        /// keeps each one for the whole run, so an identity is never reused.
        let inherited: [ObjectIdentifier]
    }

    private struct ObjectKey: Hashable {
        let path: String
        let target: ELFTarget
    }

    private struct SearchListKey: Hashable {
        let directories: [String]
        let subdirectories: [String]
    }

    private let tables = Mutex(Tables())
    // The two tables every walk and every judged object consult have locks of their own, so
    // threads judging files do not queue behind threads probing them.
    private let realPaths = Mutex<[String: String]>([:])
    private let needs = Mutex<[NeedsKey: [ResolvedNeed]]>([:])
    let counters = WorkCounters()
    let root: SystemRoot

    init(root: SystemRoot = .host) { self.root = root }

    func probe(_ path: String) -> Probe {
        if let known = tables.withLock({ $0.probes[path] }) { return known }
        let answer: Probe
        var read = false
        do {
            let reader = try BoundedFileReader(path: root.onDisk(path))
            if let twin = tables.withLock({ $0.objects[reader.id] }) {
                // The same file under another path (a checked `libz.so.1.2.13` needed as
                // `/lib/x86_64-linux-gnu/libz.so.1`): what it holds is known, only its path differs.
                answer = .file(header: twin.header, parsed: .success(ParsedELF(file: twin.parsed.file.at(path), id: reader.id)))
            } else {
                read = true
                let head = try reader.read(offset: 0, count: Int(min(reader.size, ELFParser.headRead)))
                let parsed: Result<ParsedELF, ELFError>
                if head.starts(with: ELFParser.magic) {
                    do { parsed = .success(try ELFParser.parse(reader: reader, head: head)) } catch { parsed = .failure(error) }
                } else {
                    parsed = .failure(ELFError(path: path, problem: .notELF))
                }
                answer = .file(header: Array(head.prefix(64)), parsed: parsed)
            }
        } catch {
            // The loader goes on searching when it cannot open a candidate.
            if case .unreadable = error.problem { answer = .absent } else { answer = .file(header: [], parsed: .failure(error)) }
        }
        return tables.withLock { tables in
            if let stored = tables.probes[path] { return stored }
            tables.probes[path] = answer
            if case .file(let header, .success(let parsed)) = answer, tables.objects[parsed.id] == nil {
                tables.objects[parsed.id] = (header, parsed)
            }
            if read { counters.openedFile() }
            return answer
        }
    }

    /// What the directory at `path` holds; the loader, too, stops trying a directory it found
    /// missing.
    func listing(_ path: String) -> DirectoryListing {
        if let known = tables.withLock({ $0.listings[path] }) { return known }
        let id = DirectoryListing.identity(of: root.onDisk(path))
        let listed = id.map { id in tables.withLock { $0.listingsByID[id] } ?? DirectoryListing.read(root.onDisk(path), id: id) } ?? .missing
        return tables.withLock { tables in
            if let stored = tables.listings[path] { return stored }
            counters.readDirectory()
            var answer = listed
            if let id {
                if let stored = tables.listingsByID[id] {
                    answer = stored
                } else {
                    tables.listingsByID[id] = listed
                    counters.readDirectory()
                }
            }
            tables.listings[path] = answer
            return answer
        }
    }

    /// The one search list for these directories (already expanded, without repeats) and these
    /// capability subdirectories.
    func searchList(_ directories: [String], subdirectories: [String]) -> SearchList {
        let key = SearchListKey(directories: directories, subdirectories: subdirectories)
        if let known = tables.withLock({ $0.searchLists[key] }) { return known }
        let made = SearchList(directories: directories, subdirectories: subdirectories, listing: listing)
        return tables.withLock { tables in
            if let stored = tables.searchLists[key] { return stored }
            tables.searchLists[key] = made
            return made
        }
    }

    /// Canonical path (symlinks resolved); lexically normalised when it does not exist.
    func canonical(_ path: String) -> String {
        if let known = realPaths.withLock({ $0[path] }) { return known }
        let answer = root.realPath(path) ?? PathNames.lexicallyNormalized(path)
        realPaths.withLock { $0[path] = answer }
        return answer
    }

    /// The search lists of the object found at `path`, made by `make` the first time.
    func searchLists(ofObjectAt path: String, target: ELFTarget, make: () -> ObjectSearchLists) -> ObjectSearchLists {
        let key = ObjectKey(path: path, target: target)
        if let known = tables.withLock({ $0.objectSearchLists[key] }) { return known }
        let made = make()
        return tables.withLock { tables in
            if let stored = tables.objectSearchLists[key] { return stored }
            tables.objectSearchLists[key] = made
            return made
        }
    }

    /// The resolved needs of the object at `path` in the context of `inherited`, made by
    /// `make` the first time.
    func resolvedNeeds(ofObjectAt path: String, target: ELFTarget, inherited: [SearchList],
                       make: () -> [ResolvedNeed]) -> [ResolvedNeed] {
        let key = NeedsKey(object: ObjectKey(path: path, target: target), inherited: inherited.map(ObjectIdentifier.init))
        if let known = needs.withLock({ $0[key] }) { return known }
        let made = make()
        return needs.withLock { needs in
            if let stored = needs[key] { return stored }
            needs[key] = made
            return made
        }
    }

    func environment(for target: ELFTarget, make: (ELFTarget) -> LoaderEnvironment) -> LoaderEnvironment {
        if let known = tables.withLock({ $0.environments[target] }) { return known }
        let made = make(target)
        tables.withLock { $0.environments[target] = made }
        return made
    }
}
