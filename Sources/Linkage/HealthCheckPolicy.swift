import Globbing

/// What the health check accepts: libraries outside the install dir that every Linux target
/// provides, a project's own additions, and files a project exempts with a reason.
package struct HealthCheckPolicy: Sendable, Equatable, Codable {
    /// A file (glob relative to the install dir) the check reports but does not fail on.
    package struct Exemption: Sendable, Equatable, Codable {
        package let pattern: Glob
        /// Printed in the report next to every file it exempts.
        package let reason: String

        package init(_ pattern: String, reason: String) {
            self.pattern = Glob(pattern)
            self.reason = reason
        }
    }

    /// The base system every glibc Linux target has: the loader, the vDSO, glibc's libraries,
    /// libxcrypt's libcrypt and the compiler runtime (libgcc_s, libstdc++). Matched against the
    /// needed name's last path component.
    package static let linuxAllowList: [Glob] = [
        "ld-linux.so.*", "ld-linux-*.so.*", "ld64.so.*", "ld.so.*",
        "linux-vdso.so.*", "linux-vdso32.so.*", "linux-vdso64.so.*", "linux-gate.so.*",
        "libc.so.*", "libm.so.*", "libpthread.so.*", "libdl.so.*", "librt.so.*", "libutil.so.*",
        "libresolv.so.*", "libcrypt.so.*", "libnsl.so.*", "libanl.so.*",
        "libgcc_s.so.*", "libstdc++.so.*",
    ].map(Glob.init)

    /// Library name patterns allowed to resolve outside the install dir.
    package var allowed: [Glob]
    package var exemptions: [Exemption]
    /// Files (globs relative to the install dir) no loader ever maps, not checked at all: the
    /// debug files split off by a strip step are ELF files whose code sections are empty.
    package var notLoaded: [Glob] = []

    /// - Parameters:
    ///   - additionalAllowed: patterns added to the Linux allow-list (`libfoo.so*`).
    ///   - exemptions: files not failed, each with its reason.
    ///   - includeLinuxAllowList: false starts from an empty allow-list.
    package init(additionalAllowed: [String] = [], exemptions: [Exemption] = [], includeLinuxAllowList: Bool = true,
                 notLoaded: [String] = []) {
        allowed = (includeLinuxAllowList ? Self.linuxAllowList : []) + additionalAllowed.map(Glob.init)
        self.exemptions = exemptions
        self.notLoaded = notLoaded.map(Glob.init)
    }

    /// Whether `relativePath` is one of the `notLoaded` files.
    package func isNotLoaded(_ relativePath: String) -> Bool {
        notLoaded.contains { $0.matches(relativePath) }
    }

    /// Whether a library needed as `name` may come from outside the install dir.
    package func isAllowed(_ name: String) -> Bool {
        let component = PathNames.lastComponent(name)
        return allowed.contains { $0.matches(component) }
    }

    /// The first exemption covering `relativePath`, if any.
    package func exemption(for relativePath: String) -> Exemption? {
        exemptions.first { $0.pattern.matches(relativePath) }
    }
}
