/// A kind of build step (`make`, `patch`, `run`, ...): one type in one file, listed in the
/// step table (`StepKinds` in OmnibusKit). The type decodes its own body, so `validate` checks
/// it with locations; it says how it is shown and keyed; and it performs itself through the
/// narrow `StepExecution` interface, so it never sees the scheduler, the cache or the process layer.
package protocol StepKind: Sendable {
    /// The key that names the step in a `build:` list.
    static var name: String { get }
    /// Decodes the value under the step's key. Report problems to `decoding` and return nil.
    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> Self?
    /// One line for progress and failure reports.
    var summary: String { get }
    /// A stable text of everything the step does, for the layer cache key.
    var keyText: String { get }
    /// Files kept beside the definition that the step reads (as written); their contents are keyed.
    var definitionFiles: [String] { get }
    /// Host commands the step runs, and the packages providing them: implied build dependencies.
    var hostTools: [HostTool] { get }
    /// True when the step copies the licence texts of what it installs into the package itself
    /// (`pip`: each distribution's), so the software needs no `license_files` of its own.
    var collectsLicenseTexts: Bool { get }
    /// Carries the step out.
    func perform(in step: any StepExecution) async throws(StepFailure)
}

extension StepKind {
    package var definitionFiles: [String] { [] }
    package var hostTools: [HostTool] { [] }
    package var collectsLicenseTexts: Bool { false }
}

/// A decoded step, with the keys every step accepts beside its name.
package struct BuildStep: Sendable {
    package let kind: any StepKind
    /// `env:` beside the step: set over the software's environment for this step only.
    package let env: [EnvSetting]
    /// `when:` beside the step; the graph leaves out steps whose condition does not hold.
    package let condition: Condition?

    package init(_ kind: any StepKind, env: [EnvSetting] = [], condition: Condition? = nil) {
        self.kind = kind
        self.env = env
        self.condition = condition
    }

    package var name: String { type(of: kind).name }
    package var summary: String { kind.summary }
    package var keyText: String { kind.keyText }
    /// What the layer key records of the step: the kind's text, and its own env when it has one
    /// (so steps without env keep the keys they had). The condition is not keyed: only steps
    /// whose condition held are built, and that is what their presence in the key says.
    package var identityText: String {
        let text = name + ":" + keyText
        return env.isEmpty ? text : text + " env:" + env.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{0}")
    }
}
