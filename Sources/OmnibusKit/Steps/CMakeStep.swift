import Definitions

/// `cmake: [OPTIONS]` or `{options, source_dir, build_dir, generator}`: configure, build and
/// install a CMake project into the embedded dir, as a packager would.
struct CMakeStep: StepKind {
    static let name = "cmake"
    static let generators = ["make", "ninja"]
    let options: [String]
    let sourceDir: String
    /// Inside the source directory, so the compiler wrappers' `-ffile-prefix-map` covers it.
    let buildDir: String
    /// `make` (the default) joins the build's jobserver; `ninja` (1.11 in Debian 12, 1.12 in
    /// Debian 13) cannot, and runs `{{jobs}}` jobs of its own.
    let generator: String

    static func decode(_ body: YAMLValue, _ decoding: inout StepDecoding) -> CMakeStep? {
        guard case .mapping = body else {
            return CMakeStep(options: decoding.list(body, name: "cmake"), sourceDir: ".", buildDir: "omnibus-cmake-build", generator: "make")
        }
        guard let map = decoding.fields(body, allowed: ["options", "source_dir", "build_dir", "generator"]) else { return nil }
        let generator = map.string("generator", problems: &decoding.problems)
        if let generator, !generators.contains(generator.value) {
            let hint = Suggestion.closest(to: generator.value, in: generators).map { " (did you mean '\($0)'?)" } ?? ""
            decoding.error("'cmake.generator' must be one of \(generators.joined(separator: ", ")), found '\(generator.value)'\(hint)", at: generator.location)
        }
        return CMakeStep(options: decoding.list(map.value("options"), name: "cmake.options"),
                         sourceDir: decoding.field(map, "source_dir", required: false) ?? ".",
                         buildDir: decoding.field(map, "build_dir", required: false) ?? "omnibus-cmake-build",
                         generator: generator?.value ?? "make")
    }

    var summary: String { options.isEmpty ? "cmake" : "cmake " + options.joined(separator: " ") }
    var keyText: String {
        "cmake(options: \(options), source_dir: \(Self.quoted(sourceDir)), build_dir: \(Self.quoted(buildDir)), generator: \(generator))"
    }

    var hostTools: [HostTool] {
        [HostTool(command: "cmake", package: "cmake")]
            + (generator == "ninja" ? [HostTool(command: "ninja", package: "ninja-build")] : [])
    }

    /// What every CMake build gets before the definition's own options (which come after, so a
    /// definition's `-DCMAKE_BUILD_TYPE=RelWithDebInfo` wins).
    static func standardOptions(embedded: String) -> [String] {
        [
            "-DCMAKE_INSTALL_PREFIX=\(embedded)",
            // GNUInstallDirs would pick lib64 on rpm systems and lib/<triplet> for /usr; the
            // embedded dir has one lib, where LDFLAGS, the RUNPATH and pkg-config look.
            "-DCMAKE_INSTALL_LIBDIR=lib",
            "-DCMAKE_BUILD_TYPE=Release",
            // Linked once, with the install RUNPATH: CMake's install-time rewrite of a build
            // RUNPATH leaves a string as long as the build dir's path (padded), so two work dirs
            // would give two different libraries.
            "-DCMAKE_INSTALL_RPATH=\(embedded)/lib",
            "-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON",
            // find_package and find_library look in the embedded dir first, never in the
            // per-user or system package registries (what another build left on this machine).
            "-DCMAKE_PREFIX_PATH=\(embedded)",
            "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
            "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF",
            "-DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON",
            // FetchContent must not download at build time: pinned sources only.
            "-DFETCHCONTENT_FULLY_DISCONNECTED=ON",
            // The full compile and link lines in the software's log.
            "-DCMAKE_VERBOSE_MAKEFILE=ON",
        ]
    }

    func perform(in step: any StepExecution) async throws(StepFailure) {
        let source = try step.readablePath(sourceDir)
        let build = try step.writablePath(buildDir)
        var configure = ["cmake", "-S", source, "-B", build, "-G", generator == "ninja" ? "Ninja" : "Unix Makefiles"]
        configure += Self.standardOptions(embedded: step.embeddedDir)
        for option in options { configure.append(try step.render(option)) }
        // CFLAGS, CXXFLAGS and LDFLAGS (the embedded include dir, -O2, the rpath and -L) reach
        // CMake from the pinned environment, which it reads on a first configure; the compilers
        // are the build's wrappers, found first on PATH.
        try await step.run(configure)
        if generator == "make" && step.hasJobserver {
            try await step.runJoiningJobserver(["cmake", "--build", build])
        } else {
            try await step.run(["cmake", "--build", build, "--parallel", String(step.jobs)])
        }
        // DESTDIR (the staging root) comes from the environment.
        try await step.run(["cmake", "--install", build])
    }
}
