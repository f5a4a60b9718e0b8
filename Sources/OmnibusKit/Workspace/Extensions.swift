import Definitions
import Fetch
import Packaging

/// The three extension points together: which step kinds, source kinds and package formats a
/// workspace's definitions may name. `standard` is what ships; a test (or a future plug-in)
/// passes a value with more kinds to `Workspace`.
package enum Extensions {
    package static var standard: DefinitionKinds {
        DefinitionKinds(steps: StepKinds.standard, sources: SourceKinds.standard, formats: PackageFormats.standard)
    }
}
