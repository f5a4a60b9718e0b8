import Definitions

/// What looking up a software by name can give.
package enum SoftwareLookup: Sendable {
    case found(Software)
    /// The definition exists but has problems (reported with the graph's).
    case invalid(DefinitionError)
    case missing
}

/// Resolves a project's dependencies transitively, applies overrides, detects cycles, and orders
/// the software for building. Every problem is collected and reported together.
package struct GraphResolver {
    let lookup: (String) -> SoftwareLookup
    /// Where lookups searched, for "unknown software" messages.
    let searchedDescription: String
    /// Every name a lookup could find, for did-you-mean hints.
    let knownNames: [String]

    package init(searched: String, knownNames: [String] = [], lookup: @escaping (String) -> SoftwareLookup) {
        self.searchedDescription = searched
        self.knownNames = knownNames
        self.lookup = lookup
    }

    package func resolve(_ project: Project) throws(DefinitionError) -> BuildGraph {
        var state = State()
        for dependency in project.dependencies {
            visit(dependency, state: &state)
        }
        applyOverrides(project, state: &state)
        var order: [ResolvedSoftware] = []
        for name in state.order {
            guard let software = state.loaded[name] else { continue }
            let pinned = project.overrides[name]?.value
            guard let version = software.versions[pinned ?? software.defaultVersion.value] else {
                if pinned == nil {
                    state.problems.error("default_version \(software.defaultVersion.value) of \(name) has no usable source",
                                         at: software.defaultVersion.location)
                }
                continue
            }
            order.append(ResolvedSoftware(software: software, version: version, overridden: pinned != nil,
                                          dependencies: software.dependencies.map(\.value)))
        }
        try state.problems.throwIfAny()
        return BuildGraph(project: project, order: order)
    }

    /// Checks the dependencies reachable from `roots` (unknown names, cycles) without a project,
    /// so `validate` can check software no project uses yet.
    package func check(roots: [Located<String>]) -> Diagnostics {
        var state = State()
        for root in roots { visit(root, state: &state) }
        return state.problems
    }

    private struct State {
        var loaded: [String: Software] = [:]
        var failed: Set<String> = []
        var done: Set<String> = []
        var stack: [String] = []
        var order: [String] = []
        var problems = Diagnostics()
        var reportedCycles: Set<String> = []
    }

    private func visit(_ reference: Located<String>, state: inout State) {
        let name = reference.value
        if state.done.contains(name) || state.failed.contains(name) { return }
        if let start = state.stack.firstIndex(of: name) {
            let cycle = state.stack[start...] + [name]
            // The same cycle can be entered from several places; report it once.
            if state.reportedCycles.insert(Set(cycle).sorted().joined(separator: ",")).inserted {
                state.problems.error("dependency cycle: \(cycle.joined(separator: " -> "))", at: reference.location)
            }
            return
        }
        guard let software = load(reference, state: &state) else { return }
        state.stack.append(name)
        for dependency in software.dependencies {
            visit(dependency, state: &state)
        }
        state.stack.removeLast()
        state.done.insert(name)
        state.order.append(name)
    }

    private func load(_ reference: Located<String>, state: inout State) -> Software? {
        let name = reference.value
        if let software = state.loaded[name] { return software }
        switch lookup(name) {
        case .found(let software):
            state.loaded[name] = software
            return software
        case .invalid(let error):
            state.problems.append(contentsOf: error)
        case .missing:
            let hint = Suggestion.closest(to: name, in: knownNames).map { " (did you mean '\($0)'?)" } ?? ""
            state.problems.error("unknown software '\(name)'\(hint); looked in: \(searchedDescription)", at: reference.location)
        }
        state.failed.insert(name)
        return nil
    }

    private func applyOverrides(_ project: Project, state: inout State) {
        for (name, pin) in project.overrides.sorted(by: { $0.key < $1.key }) {
            guard let software = state.loaded[name] else {
                if !state.failed.contains(name) {
                    state.problems.error("override for '\(name)', which is not in the project's dependency graph",
                                         at: pin.location)
                }
                continue
            }
            if software.versions[pin.value] == nil {
                let defined = software.versionNames.joined(separator: ", ")
                state.problems.error("override pins \(name) to '\(pin.value)', which \(software.file) does not define (defined: \(defined))",
                                     at: pin.location)
            }
        }
    }
}
