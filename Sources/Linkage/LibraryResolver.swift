/// Resolves the libraries an ELF file needs the way glibc's loader does (ld.so(8)), transitively,
/// by reading files only. One resolver is meant to serve many files: what it learns about a
/// library path (exists? which ELF? its needs?) is kept and shared across threads.
package final class LibraryResolver: Sendable {
    /// The parsed `/etc/ld.so.cache`, when it could be read.
    package let cache: LoaderCache?
    /// Why the cache could not be used, if it could not.
    package let cacheError: LoaderCacheError?
    /// Directories of `ld.so.conf` searched in place of the cache when there is no cache.
    package let configDirectories: [String]
    private let makeEnvironment: @Sendable (ELFTarget) -> LoaderEnvironment
    private let state: ResolverState
    /// What this resolver has done so far.
    var counters: WorkCounters { state.counters }

    /// - Parameters:
    ///   - cache: the loader cache; nil to search `configDirectories` instead.
    ///   - environment: the loader behaviour per target; the host's by default.
    package init(cache: LoaderCache?, cacheError: LoaderCacheError? = nil, configDirectories: [String] = [],
                environment: @escaping @Sendable (ELFTarget) -> LoaderEnvironment = LoaderEnvironment.host(for:),
                systemRoot: SystemRoot = .host) {
        self.state = ResolverState(root: systemRoot)
        self.cache = cache
        self.cacheError = cacheError
        self.configDirectories = configDirectories
        self.makeEnvironment = environment
    }

    /// A resolver for this system: `/etc/ld.so.cache`, falling back to the directories of
    /// `/etc/ld.so.conf` and its includes when the cache cannot be read.
    package convenience init(cachePath: String = "/etc/ld.so.cache", configPath: String = "/etc/ld.so.conf") {
        do {
            self.init(cache: try LoaderCache(contentsOf: cachePath))
        } catch {
            self.init(cache: nil, cacheError: error, configDirectories: LoaderConfig.directories(configPath: configPath))
        }
    }

    /// A resolver for the system in `root` (a clean root the build ran in): its loader cache and
    /// library directories, never the host's; paths under `keptOnHost` (the install dir, bound
    /// into the root during the build) are read where they are.
    package convenience init(systemRoot root: String, keptOnHost: [String]) {
        let systemRoot = SystemRoot(directory: root, keptOnHost: keptOnHost)
        do {
            self.init(cache: try LoaderCache(contentsOf: root + "/etc/ld.so.cache"), systemRoot: systemRoot)
        } catch {
            // ld.so.conf's own paths and includes name the root's directories, read through the root.
            let directories = LoaderConfig.directories(configPath: root + "/etc/ld.so.conf")
                .map { $0.hasPrefix(root + "/") ? String($0.dropFirst(root.count)) : $0 }
            self.init(cache: nil, cacheError: error, configDirectories: directories, systemRoot: systemRoot)
        }
    }

    /// The loader environment used for objects of `target`.
    package func environment(for target: ELFTarget) -> LoaderEnvironment {
        state.environment(for: target, make: makeEnvironment)
    }

    /// Reads the file at `path` (again, however often it was read before) and resolves its
    /// libraries.
    package func linkMap(forFileAt path: String) throws(ELFError) -> LinkMap {
        guard let parsed = try ELFParser.parseIfELF(path: path) else {
            throw ELFError(path: path, problem: .notELF)
        }
        return linkMap(for: parsed)
    }

    func linkMap(for main: ParsedELF) -> LinkMap {
        var walk = LoadWalk(resolver: self, main: main, environment: environment(for: main.file.target))
        return walk.run()
    }

    /// The file at `path` as a checked file: nil when it does not start with the ELF magic.
    /// Read through the same memo as library candidates, so a file that is both checked and
    /// needed is read once in a health check (whose files do not change while it runs).
    func checkedFile(at path: String) throws(ELFError) -> ParsedELF? {
        switch probe(path) {
        case .file(_, .success(let parsed)):
            return parsed
        case .file(_, .failure(let error)):
            if error.problem == .notELF { return nil }
            throw error
        case .absent:
            // The memo keeps only that the loader could not open it; read again for the reason.
            return try ELFParser.parseIfELF(path: path)
        }
    }

    // MARK: search primitives used by LoadWalk

    func probe(_ path: String) -> Probe { state.probe(path) }

    func canonical(_ path: String) -> String { state.canonical(path) }

    /// The shared search list for expanded `directories` under `environment`.
    func searchList(_ directories: [String], environment: LoaderEnvironment) -> SearchList {
        state.searchList(directories, subdirectories: environment.capabilitySubdirectories)
    }

    /// The `DT_RPATH` and `DT_RUNPATH` of the object found at `path`, expanded with its
    /// `$ORIGIN`: the same for every file whose walk loads it, so computed once per run.
    func searchLists(of file: ELFFile, at path: String, environment: LoaderEnvironment) -> ObjectSearchLists {
        state.searchLists(ofObjectAt: path, target: file.target) {
            let origin = PathNames.directory(of: path)
            func list(_ value: String?, _ tag: SearchPathEntry.Tag) -> SearchList? {
                guard let value else { return nil }
                var seen = Set<String>()
                let directories = SearchPathEntry.entries(value, tag: tag, origin: origin, environment: environment)
                    .compactMap(\.expanded).filter { seen.insert($0).inserted }
                let list = searchList(directories, environment: environment)
                return list.directories.isEmpty ? nil : list
            }
            return ObjectSearchLists(rpath: list(file.rpath, .rpath), runpath: list(file.runpath, .runpath))
        }
    }

    /// The needs of the object at `path` as `make` resolves them, made the first time this
    /// object is walked with these inherited RPATH lists (none when its RUNPATH hides them).
    func resolvedNeeds(ofObjectAt path: String, target: ELFTarget, inherited: [SearchList],
                       make: () -> [ResolvedNeed]) -> [ResolvedNeed] {
        state.resolvedNeeds(ofObjectAt: path, target: target, inherited: inherited, make: make)
    }

    /// Tries `name` in each directory of `list` that may hold it, as `open_path` does.
    func search(_ name: String, in list: SearchList, target: ELFTarget) -> Lookup? {
        var position = list.start(for: name)
        var lookups = 1
        defer { counters.lookedUp(lookups) }
        while position < list.directories.count {
            let directory = list.directories[position]
            position += 1
            lookups += 1
            if let names = directory.names, !names.contains(name) { continue }
            if let hit = open(directory.prefix + name, target: target) { return hit }
        }
        return nil
    }

    /// The loader's `open_verify`: nil when the search goes on (missing file, other class or
    /// machine), a lookup otherwise (a loadable object, or a file that stops the loader).
    func open(_ path: String, target: ELFTarget) -> Lookup? {
        switch probe(path) {
        case .absent:
            return nil
        case .file(let header, let parsed):
            switch LoaderHeaderCheck.verdict(header, target: target) {
            case .skip: return nil
            case .refuse(let reason): return .refused(path: path, reason: "\(path): \(reason)")
            case .accept:
                switch parsed {
                case .success(let object): return .loaded(path: path, object)
                case .failure(let error): return .refused(path: path, reason: error.description)
                }
            }
        }
    }

    /// The cache's answer for `name`, or a search of the `ld.so.conf` directories when there
    /// is no cache.
    func cacheLookup(_ name: String, environment: LoaderEnvironment, target: ELFTarget, nodeflib: Bool) -> Lookup? {
        guard let cache else {
            return search(name, in: searchList(configDirectories, environment: environment), target: target)
        }
        guard let path = cache.lookup(name, flags: environment.cacheFlags, hwcapsPriority: environment.hwcapsPriority) else {
            return nil
        }
        // DF_1_NODEFLIB forbids cache entries that live in the default directories.
        if nodeflib, environment.defaultDirectories.contains(where: { path.hasPrefix($0 + "/") }) { return nil }
        return open(path, target: target)
    }
}

/// An object's own search lists; nil where it has no such tag or no directory of it exists.
struct ObjectSearchLists: Sendable {
    let rpath: SearchList?
    let runpath: SearchList?
}

/// The outcome of looking for one library.
enum Lookup: Sendable {
    case loaded(path: String, ParsedELF)
    case refused(path: String, reason: String)
}

/// One `DT_NEEDED` entry of a loaded object with the loader's answer for it.
struct ResolvedNeed: Sendable {
    /// The entry after token expansion; nil when expansion drops it or leaves nothing.
    let name: String?
    /// Where the search ends; nil when the library is not found.
    let lookup: Lookup?
}
