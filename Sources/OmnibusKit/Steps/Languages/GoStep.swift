import Definitions
import Foundation

/// `go: {packages, output, into, cgo, ldflags, tags, args}`: `go build` of each package into
/// `into` (`{{embedded}}/bin`), the way a careful packager runs it: `-trimpath` and an empty
/// build id so two work dirs give the same binary, no VCS stamping, the toolchain that is
/// installed (never one Go downloads), caches inside the build, and no module download unless
/// the software says `network: true`: the modules come from `vendor/` or from the source itself.
struct GoStep: StepKind {
    static let name = "go"
    /// On the host, the command on the build PATH is enough, whichever package brought it.
    var hostTools: [HostTool] { [HostTool(command: "go", packages: ["debian": ["golang-go"], "rhel": ["golang"]])] }
    /// Import paths relative to the module (`./cmd/app`).
    let packages: [String]
    /// The binary name of each package, in order.
    let outputs: [String]
    let into: String
    /// cgo compiles C through the compiler wrappers against the embedded libraries; off by
    /// default, which gives static binaries that need nothing from the target.
    let cgo: Bool
    let ldflags: String
    let tags: [String]
    let args: [String]

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> GoStep? {
        guard let map = decoding.fields(body, allowed: ["packages", "output", "into", "cgo", "ldflags", "tags", "args"]) else {
            return nil
        }
        var packages = decoding.list(map.value("packages"), name: "go.packages")
        if packages.isEmpty { packages = ["."] }
        var outputs = decoding.list(map.value("output"), name: "go.output")
        if outputs.isEmpty {
            outputs = packages.map(defaultOutput)
            if let unnamed = packages.first(where: { defaultOutput($0).isEmpty }) {
                decoding.error("step 'go': package '\(unnamed)' has no name to give its binary: name it with 'output: [name]'",
                               at: map.location)
                return nil
            }
        } else if outputs.count != packages.count {
            decoding.error("step 'go': 'output' names \(outputs.count) binaries for \(packages.count) packages: give one name per package, in order",
                           at: map.value("output")?.location ?? map.location)
            return nil
        }
        return GoStep(packages: packages, outputs: outputs, into: decoding.field(map, "into", required: false) ?? "{{embedded}}/bin",
                      cgo: decoding.bool(map, "cgo") ?? false, ldflags: decoding.field(map, "ldflags", required: false) ?? "",
                      tags: decoding.list(map.value("tags"), name: "go.tags"), args: decoding.list(map.value("args"), name: "go.args"))
    }

    /// What `go build` itself would name the binary: the last element of the import path.
    static func defaultOutput(_ package: String) -> String {
        let last = package.split(separator: "/").last.map(String.init) ?? ""
        return last == "." || last == ".." || last == "..." ? "" : last
    }

    var summary: String { "go build " + packages.joined(separator: " ") }
    var keyText: String {
        "go(packages: \(packages), output: \(outputs), into: \(Self.quoted(into)), cgo: \(cgo), ldflags: \(Self.quoted(ldflags)), tags: \(tags), args: \(args))"
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try step.writablePath(".")
        let vendored = FileManager.default.fileExists(atPath: source + "/vendor/modules.txt")
        if !vendored, !step.network, let module = GoModule.read(source + "/go.mod") {
            let downloads = module.downloadedRequirements
            if !downloads.isEmpty {
                throw .invalid(Self.offlineMessage(downloads))
            }
        }
        let own = try ToolRun.privateDirectory("go", step)
        var environment = [
            "GOCACHE": own + "/cache", "GOMODCACHE": own + "/mod", "GOPATH": own + "/path",
            // The module cache is read-only by default, and the next build's fresh start must delete it.
            "GOFLAGS": (vendored ? "-mod=vendor" : "-mod=readonly") + " -modcacherw",
            // The installed toolchain, never one named by go.mod's `toolchain` line (Go >= 1.21).
            "GOTOOLCHAIN": "local",
            // A go.env or `go env -w` of the build host must not change the build.
            "GOENV": "off",
            "CGO_ENABLED": cgo ? "1" : "0",
        ]
        if !step.network {
            environment["GOPROXY"] = "off"
            environment["GOSUMDB"] = "off"
        }
        if cgo {
            // cgo reads its own flags, not CFLAGS/LDFLAGS; the compiler is `gcc` on PATH, the wrapper.
            environment["CGO_CFLAGS"] = "-I\(step.embeddedDir)/include -O2"
            environment["CGO_LDFLAGS"] = "-L\(step.embeddedDir)/lib -Wl,-rpath,\(step.embeddedDir)/lib"
        }
        let destination = try step.writablePath(into)
        try ToolRun.makeDirectory(destination, step)
        let linkFlags = (["-buildid="] + [try step.render(ldflags)].filter { !$0.isEmpty }).joined(separator: " ")
        var common = ["go", "build", "-trimpath", "-buildvcs=false", "-ldflags=\(linkFlags)"]
        if !tags.isEmpty { common.append("-tags=\(try tags.map { tag throws(StepFailure) in try step.render(tag) }.joined(separator: ","))") }
        for arg in args { common.append(try step.render(arg)) }
        for (package, output) in zip(packages, outputs) {
            // Through writablePath like every step's target: an output name cannot leave the install dir.
            let target = try step.writablePath(into + "/" + (try step.render(output)))
            let argv = common + ["-o", target, try step.render(package)]
            try await step.run(ToolRun.command(argv, environment: environment))
        }
        try LanguagePackage.record(GoPackages.read(source: source, vendored: vendored), in: step)
    }

    static func offlineMessage(_ modules: [String]) -> String {
        let shown = modules.prefix(3).joined(separator: ", ") + (modules.count > 3 ? " and \(modules.count - 3) more" : "")
        return "go.mod requires \(shown), which Go would download, and the software does not allow the network: vendor the modules (run 'go mod vendor' in the source and keep vendor/ with it), or set 'network: true' on the software"
    }
}
