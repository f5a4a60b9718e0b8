import Definitions

/// `autoreconf: [ARGS]`: `autoreconf --force --install ARGS`, which writes `configure` (and the
/// Makefile.in files, libtool's scripts) into a source that ships only `configure.ac`, as tag
/// tarballs and git checkouts do.
struct AutoreconfStep: StepKind {
    static let name = "autoreconf"
    let args: [String]

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> AutoreconfStep? {
        AutoreconfStep(args: decoding.list(body, name: "autoreconf"))
    }

    var summary: String { (["autoreconf", "-fi"] + args).joined(separator: " ") }
    var keyText: String { "autoreconf(args: \(args))" }

    var hostTools: [HostTool] {
        [HostTool(command: "autoreconf", package: "autoconf"), HostTool(command: "automake", package: "automake"),
         HostTool(command: "libtoolize", package: "libtool")]
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        var argv = ["autoreconf", "--force", "--install"]
        for arg in args { argv.append(try step.render(arg)) }
        try await step.run(argv)
    }
}
