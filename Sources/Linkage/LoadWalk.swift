/// One breadth-first walk of the loader over a file's dependencies (`_dl_map_object_deps`), with
/// the loader's rules for matching names against objects already loaded.
struct LoadWalk {
    private struct Node {
        var names: [String]
        let path: String?
        let parsed: ParsedELF?
        let loader: Int?
        let kind: LinkMap.Object.Kind
        var referenced: Bool
        var loadError: String?
        var searchPaths: (rpath: [String]?, runpath: [String]?)?
    }

    private let resolver: LibraryResolver
    private let environment: LoaderEnvironment
    private let main: ELFFile
    private let target: ELFTarget
    private var nodes: [Node] = []
    /// Every name or soname of a loaded object -> the first object answering to it.
    private var byName: [String: Int] = [:]
    private var byFile: [FileID: Int] = [:]
    private var missing: Set<String> = []

    init(resolver: LibraryResolver, main: ParsedELF, environment: LoaderEnvironment) {
        self.resolver = resolver
        self.environment = environment
        self.main = main.file
        self.target = main.file.target
        add(Node(names: [main.file.path], path: main.file.path, parsed: main, loader: nil, kind: .library, referenced: false),
            soname: main.file.soname, id: main.id)
        // The loader and the vDSO are in the link map before any DT_NEEDED is looked at.
        if let interpreter = main.file.interpreter ?? environment.interpreter {
            let parsed = resolver.probe(interpreter).elf
            add(Node(names: [interpreter], path: interpreter, parsed: nil, loader: nil, kind: .interpreter, referenced: false),
                soname: parsed?.file.soname, id: parsed?.id)
        }
        if !environment.vdsoNames.isEmpty {
            add(Node(names: environment.vdsoNames, path: nil, parsed: nil, loader: nil, kind: .vdso, referenced: false),
                soname: nil, id: nil)
        }
    }

    mutating func run() -> LinkMap {
        var queue = [0]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            guard let file = nodes[current].parsed?.file else { continue }
            for entry in file.needed {
                if let added = need(entry, by: current) { queue.append(added) }
            }
        }
        let objects = nodes.indices.dropFirst().filter { nodes[$0].referenced }.map { index in
            let node = nodes[index]
            return LinkMap.Object(name: node.names[0], path: node.path, kind: node.kind,
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
        return LinkMap(file: main, objects: objects, searchPaths: searchPaths)
    }

    /// Handles one `DT_NEEDED` entry of `requester`; returns the index of a newly loaded object
    /// whose own needs must be walked.
    private mutating func need(_ entry: String, by requester: Int) -> Int? {
        let origin = nodes[requester].path.map(PathNames.directory(of:))
        guard let name = DynamicStringTokens.expand(entry, origin: origin, environment: environment), !name.isEmpty else {
            return notFound(entry, by: requester)
        }
        if let known = byName[name] {
            nodes[known].referenced = true
            return nil
        }
        switch find(name, for: requester) {
        case nil:
            return notFound(name, by: requester)
        case .refused(let path, let reason):
            add(Node(names: [name], path: path, parsed: nil, loader: requester, kind: .library,
                     referenced: true, loadError: reason), soname: nil, id: nil)
            return nil
        case .loaded(let path, let parsed):
            // Same file under another name: the loader reuses the object and adds the name.
            if let known = byFile[parsed.id] {
                nodes[known].names.append(name)
                nodes[known].referenced = true
                if byName[name] == nil { byName[name] = known }
                return nil
            }
            return add(Node(names: [name], path: path, parsed: parsed, loader: requester, kind: .library, referenced: true),
                       soname: parsed.file.soname, id: parsed.id)
        }
    }

    /// `_dl_map_object`'s search order for a name without a slash.
    private mutating func find(_ name: String, for requester: Int) -> Lookup? {
        if name.utf8.contains(UInt8(ascii: "/")) { return resolver.open(name, target: target) }
        // Only loaded objects are walked, so the requester always has a parsed file.
        guard let requesterFile = nodes[requester].parsed?.file else { return nil }
        if requesterFile.runpath == nil {
            // DT_RPATH of the requester, then of the object that loaded it, and so on up to
            // the main program.
            var link: Int? = requester
            while let current = link {
                if let directories = searchPaths(of: current).rpath,
                   let hit = resolver.search(name, in: directories, environment: environment, target: target) {
                    return hit
                }
                link = nodes[current].loader
            }
        }
        if let directories = searchPaths(of: requester).runpath,
           let hit = resolver.search(name, in: directories, environment: environment, target: target) {
            return hit
        }
        let nodeflib = requesterFile.flags1 & ELFFile.nodeflib != 0
        if let hit = resolver.cacheLookup(name, environment: environment, target: target, nodeflib: nodeflib) {
            return hit
        }
        if nodeflib { return nil }
        return resolver.search(name, in: environment.defaultDirectories, environment: environment, target: target)
    }

    /// The expanded RPATH and RUNPATH directories of a loaded object, computed once.
    private mutating func searchPaths(of index: Int) -> (rpath: [String]?, runpath: [String]?) {
        if let known = nodes[index].searchPaths { return known }
        let file = nodes[index].parsed?.file
        let origin = nodes[index].path.map(PathNames.directory(of:))
        func directories(_ value: String?, _ tag: SearchPathEntry.Tag) -> [String]? {
            guard let value else { return nil }
            var seen = Set<String>()
            return SearchPathEntry.entries(value, tag: tag, origin: origin, environment: environment)
                .compactMap(\.expanded).filter { seen.insert($0).inserted }
        }
        let answer = (directories(file?.rpath, .rpath), directories(file?.runpath, .runpath))
        nodes[index].searchPaths = answer
        return answer
    }

    /// Records a library the loader cannot find. The loader lists one entry per failed request;
    /// one per name is kept here.
    private mutating func notFound(_ name: String, by requester: Int) -> Int? {
        guard missing.insert(name).inserted else { return nil }
        nodes.append(Node(names: [name], path: nil, parsed: nil, loader: requester, kind: .library, referenced: true))
        return nil
    }

    @discardableResult
    private mutating func add(_ node: Node, soname: String?, id: FileID?) -> Int {
        let index = nodes.count
        nodes.append(node)
        for name in node.names + [soname].compactMap({ $0 }) where byName[name] == nil {
            byName[name] = index
        }
        if let id, byFile[id] == nil { byFile[id] = index }
        return index
    }
}
