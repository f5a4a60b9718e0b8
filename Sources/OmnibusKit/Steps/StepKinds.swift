import Definitions

/// The build steps definitions may use. A new step kind is one type conforming to `StepKind`
/// in this folder, added here.
enum StepKinds {
    static let standard: [any StepKind.Type] = [
        RunStep.self, ConfigureStep.self, MakeStep.self, PatchStep.self, CopyStep.self, LinkStep.self,
        MkdirStep.self, DeleteStep.self, TemplateStep.self,
        CMakeStep.self, MesonStep.self, AutoreconfStep.self, StripStep.self,
        PipStep.self,
        GoStep.self, CargoStep.self, NpmStep.self, GemStep.self, BundleStep.self,
    ]
}
