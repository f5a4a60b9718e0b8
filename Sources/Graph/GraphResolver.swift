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

    /// Resolves with every `when:` evaluated against `facts` first: a dependency, step or version
    /// choice whose condition does not hold is not part of the graph. Without facts (checking
    /// definitions, or what any platform could need) every dependency and step is kept and each
    /// software gets its fallback `default_version`.
    package func resolve(_ project: Project, facts: ConditionFacts? = nil) throws(DefinitionError) -> BuildGraph {
        var state = State(facts: facts)
        let roots = applicable(project.dependencies, conditions: project.dependencyConditions, facts: facts)
        for dependency in roots {
            visit(dependency, state: &state)
        }
        let reachable = reachableUnderAnyCondition(project, state: state)
        applyOverrides(project, reachable: reachable, state: &state)
        var order: [ResolvedSoftware] = []
        for name in state.order {
            guard let software = state.loaded[name] else { continue }
            let pinned = project.overrides[name]?.value
            let chosen = software.versionChoices.first { choice in facts.map { choice.condition.holds(for: $0) } ?? false }
            guard let version = software.versions[pinned ?? chosen?.version.value ?? software.defaultVersion.value] else {
                if pinned == nil {
                    let written = chosen?.version ?? software.defaultVersion
                    state.problems.error("default_version \(written.value) of \(name) has no usable source", at: written.location)
                }
                continue
            }
            let steps = (version.build ?? software.build).filter { step in
                guard let condition = step.value.condition, let facts else { return true }
                return condition.holds(for: facts)
            }
            let dependencies = applicable(software.dependencies, conditions: software.dependencyConditions, facts: facts)
            order.append(ResolvedSoftware(software: software, version: version, overridden: pinned != nil,
                                          dependencies: dependencies.map(\.value), steps: steps))
        }
        checkFlags(project, reachable: reachable, state: &state)
        try state.problems.throwIfAny()
        return BuildGraph(project: project, order: order, roots: roots.map(\.value), facts: facts)
    }

    /// The entries of a `dependencies:` list whose `when:` holds (all of them without facts).
    private func applicable(_ names: [Located<String>], conditions: [String: Condition], facts: ConditionFacts?) -> [Located<String>] {
        guard let facts else { return names }
        return names.filter { conditions[$0.value]?.holds(for: facts) ?? true }
    }

    /// Every software the project reaches under some condition (the graph under any facts).
    private func reachableUnderAnyCondition(_ project: Project, state: State) -> [Software] {
        var found: [Software] = []
        var seen = Set<String>()
        var pending = project.dependencies.map(\.value)
        while let name = pending.popLast() {
            guard seen.insert(name).inserted else { continue }
            let software: Software
            if let loaded = state.loaded[name] {
                software = loaded
            } else if case .found(let looked) = lookup(name) {
                software = looked
            } else {
                continue
            }
            found.append(software)
            pending += software.dependencies.map(\.value)
        }
        return found
    }

    /// Every flag a `when:` tests, in the project or any software it can reach under any
    /// condition, must be one the project declares: a misspelt flag would otherwise never hold.
    private func checkFlags(_ project: Project, reachable: [Software], state: inout State) {
        let declared = project.flags.map(\.name)
        var references = project.dependencyConditions.values.flatMap(\.flagReferences)
        for software in reachable {
            references += software.dependencyConditions.values.flatMap(\.flagReferences)
            references += software.versionChoices.flatMap(\.condition.flagReferences)
            let steps = software.build + software.versions.values.flatMap { $0.build ?? [] }
            references += steps.compactMap(\.value.condition).flatMap(\.flagReferences)
        }
        for reference in references where !declared.contains(reference.value) {
            let hint = Suggestion.closest(to: reference.value, in: declared).map { " (did you mean '\($0)'?)" } ?? ""
            let known = declared.isEmpty ? "it declares no 'flags:'" : "it declares: \(declared.joined(separator: ", "))"
            state.problems.error("flag '\(reference.value)' is not declared by project '\(project.name)'\(hint); \(known)",
                                 at: reference.location)
        }
    }

    /// Checks the dependencies reachable from `roots` (unknown names, cycles) without a project,
    /// so `validate` can check software no project uses yet.
    package func check(roots: [Located<String>]) -> Diagnostics {
        var state = State(facts: nil)
        for root in roots { visit(root, state: &state) }
        return state.problems
    }

    private struct State {
        let facts: ConditionFacts?
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
        for dependency in applicable(software.dependencies, conditions: software.dependencyConditions, facts: state.facts) {
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

    private func applyOverrides(_ project: Project, reachable: [Software], state: inout State) {
        for (name, pin) in project.overrides.sorted(by: { $0.key < $1.key }) {
            guard let software = state.loaded[name] ?? reachable.first(where: { $0.name == name }) else {
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
