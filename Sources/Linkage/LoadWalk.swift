/// One breadth-first walk of the loader over a file's dependencies (`_dl_map_object_deps`), with
/// the loader's rules for matching names against objects already loaded, and the limits of
/// `LinkageLimits`.
struct LoadWalk {
    private struct Node {
        /// The name it was first needed as (the others it answers to are only in `byName`).
        let name: String
        let path: String?
        let parsed: ParsedELF?
        let loader: Int?
        let kind: LinkMap.Object.Kind
        /// Levels below the checked file (which is 0).
        let depth: Int
        var referenced: Bool
        var loadError: String?
        var searchLists: SearchLists?
    }

    /// Where the needs of one object are searched before the cache.
    struct SearchLists {
        /// Its own `DT_RPATH`, then that of the object that loaded it, and so on up to the
        /// program, each list once: a list searched again cannot find what it did not the first
        /// time, and without repeats a chain of libraries sharing one RPATH searches one list,
        /// not one per level.
        let inherited: [SearchList]
        let runpath: SearchList?
    }

    private let resolver: LibraryResolver
    private let environment: LoaderEnvironment
    private let main: ELFFile
    private let target: ELFTarget
    private let search: LibrarySearch
    private var nodes: [Node] = []
    /// Every name or soname of a loaded object -> the first object answering to it.
    private var byName: [String: Int] = [:]
    private var byFile: [FileID: Int] = [:]
    private var missing: Set<String> = []
    private var limits: [LimitExceeded] = []

    init(resolver: LibraryResolver, main: ParsedELF, environment: LoaderEnvironment) {
        self.resolver = resolver
        self.environment = environment
        self.main = main.file
        self.target = main.file.target
        search = LibrarySearch(resolver: resolver, environment: environment, target: main.file.target)
        add(Node(name: main.file.path, path: main.file.path, parsed: main, loader: nil, kind: .library, depth: 0,
                 referenced: false), soname: main.file.soname, id: main.id)
        // The loader and the vDSO are in the link map before any DT_NEEDED is looked at.
        if let interpreter = main.file.interpreter ?? environment.interpreter {
            let parsed = resolver.probe(interpreter).elf
            add(Node(name: interpreter, path: interpreter, parsed: nil, loader: nil, kind: .interpreter, depth: 1,
                     referenced: false), soname: parsed?.file.soname, id: parsed?.id)
        }
        if !environment.vdsoNames.isEmpty {
            add(Node(name: environment.vdsoNames[0], path: nil, parsed: nil, loader: nil, kind: .vdso, depth: 1,
                     referenced: false), aliases: environment.vdsoNames.dropFirst(), soname: nil, id: nil)
        }
    }

    mutating func run() -> LinkMap {
        var queue = [0]
        var head = 0
        var followed = 0
        walk: while head < queue.count {
            let current = queue[head]
            head += 1
            guard let file = nodes[current].parsed?.file, !file.needed.isEmpty else { continue }
            let exceeded = exceededLimits(file, depth: nodes[current].depth)
            guard exceeded.isEmpty else {
                limits += exceeded.map { limit($0, at: current) }
                continue
            }
            let needs = resolvedNeeds(of: current, file)
            for (entry, resolved) in zip(file.needed, needs) {
                guard followed < LinkageLimits.neededInClosure else {
                    limits.append(limit(.closure, at: 0))
                    break walk
                }
                followed += 1
                if let added = need(entry, resolved, by: current) { queue.append(added) }
            }
        }
        resolver.counters.followed(followed)
        let objects = nodes.indices.dropFirst().filter { nodes[$0].referenced }.map { index in
            let node = nodes[index]
            return LinkMap.Object(name: node.name, path: node.path, kind: node.kind,
                                  neededBy: node.loader.flatMap { nodes[$0].path }, loadError: node.loadError)
        }
        let origin = PathNames.directory(of: main.path)
        var searchPaths: [SearchPathEntry] = []
        if let rpath = main.rpath {
            searchPaths += SearchPathEntry.entries(rpath, tag: .rpath, origin: origin, environment: environment)
        }
        if let runpath = main.runpath {
            searchPaths += SearchPathEntry.entries(runpath, tag: .runpath, origin: origin, environment: environment)
        }
        return LinkMap(file: main, objects: objects, searchPaths: searchPaths, limitsExceeded: limits)
    }

    /// The per-object limits an object with needs runs into.
    private func exceededLimits(_ file: ELFFile, depth: Int) -> [LimitExceeded.Kind] {
        func elements(_ value: String?) -> Int { value.map { $0.utf8.count { $0 == UInt8(ascii: ":") } + 1 } ?? 0 }
        var exceeded: [LimitExceeded.Kind] = []
        if depth >= LinkageLimits.depth { exceeded.append(.depth) }
        if file.needed.count > LinkageLimits.neededPerFile { exceeded.append(.neededEntries(file.needed.count)) }
        let rpath = elements(file.rpath), runpath = elements(file.runpath)
        if rpath > LinkageLimits.searchPathElementsPerFile { exceeded.append(.rpathElements(rpath)) }
        if runpath > LinkageLimits.searchPathElementsPerFile { exceeded.append(.runpathElements(runpath)) }
        return exceeded
    }

    private func limit(_ kind: LimitExceeded.Kind, at index: Int) -> LimitExceeded {
        let node = nodes[index]
        return LimitExceeded(kind: kind, name: node.name, path: node.path ?? node.name,
                             neededBy: node.loader.flatMap { nodes[$0].path })
    }

    /// The loader's answer for each `DT_NEEDED` entry of the walked object `index`, before
    /// names already loaded are matched. It depends only on the object's path (its entries, its
    /// `$ORIGIN`, its own RPATH and RUNPATH) and, when it has no RUNPATH, on the RPATHs of the
    /// objects that loaded it; so it is worked out once per run for each such pair and shared by
    /// every walk that loads the object the same way.
    private mutating func resolvedNeeds(of index: Int, _ file: ELFFile) -> [ResolvedNeed] {
        // Only loaded objects are walked, so the node has a path.
        let path = nodes[index].path ?? file.path
        let lists = searchLists(of: index)
        let context = file.runpath == nil ? lists.inherited : []
        // Captured alone: a closure capturing `self` copies the whole walk.
        let search = self.search
        return resolver.resolvedNeeds(ofObjectAt: path, target: target, inherited: context) {
            let origin = PathNames.directory(of: path)
            return file.needed.map { entry in
                // Only a token needs expanding; most entries are plain names.
                let expanded = entry.utf8.contains(UInt8(ascii: "$"))
                    ? DynamicStringTokens.expand(entry, origin: origin, environment: search.environment) : entry
                guard let name = expanded, !name.isEmpty else { return ResolvedNeed(name: nil, lookup: nil) }
                return ResolvedNeed(name: name, lookup: search.find(name, requester: file, lists: lists))
            }
        }
    }

    /// Handles one `DT_NEEDED` entry of `requester`; returns the index of a newly loaded object
    /// whose own needs must be walked.
    private mutating func need(_ entry: String, _ resolved: ResolvedNeed, by requester: Int) -> Int? {
        guard let name = resolved.name else {
            return notFound(entry, by: requester)
        }
        if let known = byName[name] {
            nodes[known].referenced = true
            return nil
        }
        let depth = nodes[requester].depth + 1
        switch resolved.lookup {
        case nil:
            return notFound(name, by: requester)
        case .refused(let path, let reason):
            add(Node(name: name, path: path, parsed: nil, loader: requester, kind: .library, depth: depth,
                     referenced: true, loadError: reason), soname: nil, id: nil)
            return nil
        case .loaded(let path, let parsed):
            // Same file under another name: the loader reuses the object and adds the name.
            if let known = byFile[parsed.id] {
                nodes[known].referenced = true
                if byName[name] == nil { byName[name] = known }
                return nil
            }
            return add(Node(name: name, path: path, parsed: parsed, loader: requester, kind: .library, depth: depth,
                            referenced: true), soname: parsed.file.soname, id: parsed.id)
        }
    }

    /// The search lists of a loaded object, computed once; its loader's come first, since
    /// the loader was walked before it.
    private mutating func searchLists(of index: Int) -> SearchLists {
        if let known = nodes[index].searchLists { return known }
        guard let file = nodes[index].parsed?.file, let path = nodes[index].path else {
            return SearchLists(inherited: [], runpath: nil)
        }
        // Most libraries have neither tag: no need to look their lists up.
        let own = file.rpath == nil && file.runpath == nil
            ? ObjectSearchLists(rpath: nil, runpath: nil) : resolver.searchLists(of: file, at: path, environment: environment)
        var inherited = nodes[index].loader.map { searchLists(of: $0).inherited } ?? []
        if let rpath = own.rpath, inherited.first !== rpath {
            inherited = [rpath] + inherited.filter { $0 !== rpath }
        }
        let answer = SearchLists(inherited: inherited, runpath: own.runpath)
        nodes[index].searchLists = answer
        return answer
    }

    /// Records a library the loader cannot find. The loader lists one entry per failed request;
    /// one per name is kept here.
    private mutating func notFound(_ name: String, by requester: Int) -> Int? {
        guard missing.insert(name).inserted else { return nil }
        nodes.append(Node(name: name, path: nil, parsed: nil, loader: requester, kind: .library,
                          depth: nodes[requester].depth + 1, referenced: true))
        return nil
    }

    @discardableResult
    private mutating func add(_ node: Node, aliases: ArraySlice<String> = [], soname: String?, id: FileID?) -> Int {
        let index = nodes.count
        nodes.append(node)
        if byName[node.name] == nil { byName[node.name] = index }
        for name in aliases where byName[name] == nil { byName[name] = index }
        if let soname, byName[soname] == nil { byName[soname] = index }
        if let id, byFile[id] == nil { byFile[id] = index }
        return index
    }
}

/// The loader's search for one name on behalf of one object of a walk. A class, so handing it
/// to the resolver's memo costs one reference, not a copy of the environment.
private final class LibrarySearch {
    let resolver: LibraryResolver
    let environment: LoaderEnvironment
    let target: ELFTarget

    init(resolver: LibraryResolver, environment: LoaderEnvironment, target: ELFTarget) {
        self.resolver = resolver
        self.environment = environment
        self.target = target
    }

    /// `_dl_map_object`'s search order for a name without a slash.
    func find(_ name: String, requester: ELFFile, lists: LoadWalk.SearchLists) -> Lookup? {
        if name.utf8.contains(UInt8(ascii: "/")) { return resolver.open(name, target: target) }
        if requester.runpath == nil {
            // DT_RPATH of the requester, then of the object that loaded it, and so on up to
            // the main program.
            for list in lists.inherited {
                if let hit = resolver.search(name, in: list, target: target) { return hit }
            }
        }
        if let runpath = lists.runpath, let hit = resolver.search(name, in: runpath, target: target) {
            return hit
        }
        let nodeflib = requester.flags1 & ELFFile.nodeflib != 0
        if let hit = resolver.cacheLookup(name, environment: environment, target: target, nodeflib: nodeflib) {
            return hit
        }
        if nodeflib { return nil }
        return resolver.search(name, in: resolver.searchList(environment.defaultDirectories, environment: environment),
                               target: target)
    }
}
