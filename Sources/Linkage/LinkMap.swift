/// The objects the loader would bring in for one file, as `ldd` lists them, computed by reading
/// files only.
package struct LinkMap: Sendable, Equatable {
    /// One loaded object (the checked file itself is not listed).
    package struct Object: Sendable, Equatable {
        package enum Kind: String, Sendable, Codable {
            /// A shared library found by name or path.
            case library
            /// The dynamic loader itself, listed when something needs it by name.
            case interpreter
            /// The kernel's virtual DSO, listed only when something names it in `DT_NEEDED`.
            case vdso
        }

        /// The name it was first needed as (a `DT_NEEDED` string, after token expansion).
        package let name: String
        /// Where the loader finds it; nil when it is not found.
        package let path: String?
        package let kind: Kind
        /// The path of the object whose `DT_NEEDED` first asked for it.
        package let neededBy: String?
        /// Set when a file was found but the loader would refuse it (bad ELF header, wrong
        /// OS ABI, not a shared object); the loader stops there, so the program would not start.
        package let loadError: String?
    }

    /// The checked file.
    package let file: ELFFile
    /// Load order, breadth first, as the loader maps them.
    package let objects: [Object]
    /// The file's own `DT_RPATH` and `DT_RUNPATH` elements, expanded with its `$ORIGIN`.
    package let searchPaths: [SearchPathEntry]
    /// Where the walk stopped short; `objects` holds what was resolved before.
    package let limitsExceeded: [LimitExceeded]

    package init(file: ELFFile, objects: [Object], searchPaths: [SearchPathEntry], limitsExceeded: [LimitExceeded] = []) {
        self.file = file
        self.objects = objects
        self.searchPaths = searchPaths
        self.limitsExceeded = limitsExceeded
    }
}
