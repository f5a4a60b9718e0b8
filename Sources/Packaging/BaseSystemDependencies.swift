/// The base-system relations derived from a package's ELF files (by the Linkage module's
/// reading of `.gnu.version_r`), added to the project's own relations by every format.
package struct BaseSystemDependencies: Sendable, Equatable {
    /// Base library -> lowest version (`glibc` -> `2.34`, `libstdc++` -> `12`), recorded in the
    /// metadata as `base_system` whether or not relations are written.
    package var floors: [String: String]
    /// `libc6 (>= 2.34)`: appended to Depends.
    package var debian: [String]
    /// `libc.so.6(GLIBC_2.34)(64bit)`: appended to Requires with no version, as rpmbuild's
    /// dependency generator adds them.
    package var rpm: [String]

    package static let none = BaseSystemDependencies(floors: [:], debian: [], rpm: [])

    package init(floors: [String: String], debian: [String], rpm: [String]) {
        self.floors = floors
        self.debian = debian
        self.rpm = rpm
    }
}
