import Definitions
import Graph

/// The outcome of checking definitions: every problem, and what was checked.
package struct ValidationReport: Sendable {
    package let projects: [String]
    package let software: [String]
    /// The problems kept, sorted by location (see `DefinitionLimits.problemsKept`).
    package let problems: [Diagnostic]
    /// Every problem found, kept or only counted.
    package let problemCount: Int
    /// What `build` would warn about; they do not fail validation.
    package let warnings: [Diagnostic]

    package var passed: Bool { problemCount == 0 }

    /// The problems as printed: the first `DefinitionLimits.problemsShown`, then the rest counted.
    package var problemLines: [String] { ProblemList.lines(problems, total: problemCount) }
}

extension Workspace {
    /// Checks one project (and the software it reaches), or with `nil` every project and every
    /// software definition visible from the repository. Problems are collected, never thrown.
    package func validate(project name: String? = nil) -> ValidationReport {
        let cache = SoftwareCache(repository: repository)
        var problems = Diagnostics()
        var warnings: [Diagnostic] = []
        var softwareChecked: [String] = []
        let projectNames = name.map { [$0] } ?? repository.projectNames()
        if name == nil {
            for (software, _) in repository.allSoftware() {
                softwareChecked.append(software)
                if case .invalid(let error) = cache.lookup(software) { problems.append(contentsOf: error) }
            }
        }
        if name == nil {
            // Software no project uses yet still gets its dependencies checked.
            let roots = softwareChecked.compactMap { software -> Located<String>? in
                guard case .found(let loaded) = cache.lookup(software) else { return nil }
                return Located(loaded.name, at: loaded.defaultVersion.location)
            }
            problems.append(contentsOf: resolver(cache: cache).check(roots: roots))
        }
        for projectName in projectNames {
            do throws(DefinitionError) {
                let project = try loadProject(projectName)
                // Scripts are rendered at packaging time; their mistakes belong to validate.
                let packaging = ProjectPackaging(project: project, version: "0", repositoryRoot: repository.root, sourceDateEpoch: 0,
                                                 formatKinds: repository.kinds.formats)
                for problem in packaging.scriptProblems() {
                    problems.error(problem, at: SourceLocation(file: project.file, line: 1, column: 1))
                }
                // Conditions are evaluated for this machine and the default flags; flags are
                // checked against the project under every condition.
                var facts = PlatformFacts.facts(for: nil)
                facts.flags = Set(project.flags.filter(\.defaultOn).map(\.name))
                let graph = try resolver(cache: cache).resolve(project, facts: facts)
                if name != nil { softwareChecked += graph.order.map(\.name) }
                for software in LicenseSummary.withoutLicenseFiles(graph) {
                    let location = software.licenseLocation ?? SourceLocation(file: software.file, line: 1, column: 1)
                    if project.requireLicenseFiles {
                        problems.error(LicenseSummary.missingLicenseFilesError(software.name, project: project), at: location)
                    } else {
                        warnings.append(Diagnostic(LicenseSummary.missingLicenseFilesWarning([software.name], project: project), at: location))
                    }
                }
            } catch {
                problems.append(contentsOf: error)
            }
        }
        let kept = Array(Set(problems.all)).sorted()
        return ValidationReport(projects: projectNames, software: softwareChecked, problems: kept,
                                problemCount: kept.count + problems.omitted.reduce(0) { $0 + $1.count },
                                warnings: Array(Set(warnings)).sorted())
    }
}
