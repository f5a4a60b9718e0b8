import Definitions

/// The build steps definitions may use. A new step kind is one type conforming to `StepKind`
/// in this folder, added here.
enum StepKinds {
    static let standard: [any StepKind.Type] = [
        RunStep.self, ConfigureStep.self, MakeStep.self, PatchStep.self, CopyStep.self, LinkStep.self,
        MkdirStep.self, DeleteStep.self, TemplateStep.self,
        GoStep.self, CargoStep.self, NpmStep.self, GemStep.self, BundleStep.self,
    ]

    /// The host tool a step kind runs: its command, and per platform family the system packages
    /// that provide it. Every software with such a step has them as build dependencies
    /// (`CleanRootSpec.buildDependencies`): a clean root gets the packages; on the host the
    /// command on the build PATH is enough (a Go from go.dev or a Node from NodeSource serves as
    /// well as Debian's), and the packages are asked for only when it is missing.
    struct HostTool: Sendable {
        let command: String
        let packages: [String: [String]]
    }

    static let hostTools: [String: HostTool] = [
        GoStep.name: HostTool(command: "go", packages: ["debian": ["golang-go"], "rhel": ["golang"]]),
        CargoStep.name: HostTool(command: "cargo", packages: ["debian": ["cargo"], "rhel": ["cargo"]]),
        NpmStep.name: HostTool(command: "npm", packages: ["debian": ["npm"], "rhel": ["npm"]]),
        GemStep.name: HostTool(command: "gem", packages: ["debian": ["ruby"], "rhel": ["ruby"]]),
        BundleStep.name: HostTool(command: "bundle", packages: ["debian": ["ruby-bundler"], "rhel": ["rubygem-bundler"]]),
    ]

    /// The host tools the steps of `software` run (any version's steps).
    static func hostTools(of software: [Software]) -> [HostTool] {
        let steps = software.flatMap { $0.build + $0.versions.values.flatMap { $0.build ?? [] } }
        return steps.compactMap { hostTools[$0.value.name] }
    }
}
