/// The kinds the definitions may name: build steps, sources and package formats. Each table
/// lives with the code that runs its kinds (OmnibusKit's `StepKinds`, Fetch's `SourceKinds`,
/// Packaging's `PackageFormats`); `OmnibusKit.Extensions.standard` puts them together and the
/// loaders consult only this value, so a test can add a kind without touching the loaders.
package struct DefinitionKinds: Sendable {
    package var steps: [any StepKind.Type]
    package var sources: [any SourceKind.Type]
    package var formats: [any PackageFormatKind.Type]

    package init(steps: [any StepKind.Type], sources: [any SourceKind.Type], formats: [any PackageFormatKind.Type]) {
        self.steps = steps
        self.sources = sources
        self.formats = formats
    }

    package var stepNames: [String] { steps.map { $0.name } }
    package var sourceNames: [String] { sources.map { $0.name } }
    package var formatNames: [String] { formats.map { $0.name } }

    package func step(named name: String) -> (any StepKind.Type)? { steps.first { $0.name == name } }
    package func source(named name: String) -> (any SourceKind.Type)? { sources.first { $0.name == name } }
    package func format(named name: String) -> (any PackageFormatKind.Type)? { formats.first { $0.name == name } }
}
