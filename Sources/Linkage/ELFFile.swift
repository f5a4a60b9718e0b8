/// What the dynamic loader needs to know about one ELF file: read from the file's headers and
/// dynamic section, never by running it.
package struct ELFFile: Sendable, Equatable {
    /// `e_type`.
    package enum FileType: Sendable, Equatable {
        case relocatable, executable, sharedObject, core
        case other(UInt16)

        init(_ raw: UInt16) {
            switch raw {
            case 1: self = .relocatable
            case 2: self = .executable
            case 3: self = .sharedObject
            case 4: self = .core
            default: self = .other(raw)
            }
        }
    }

    /// `DT_FLAGS_1` bit: the object's dependencies must not come from the default directories.
    package static let nodeflib: UInt64 = 0x800

    /// The path the file was read from.
    package let path: String
    package let target: ELFTarget
    /// `e_ident[EI_OSABI]`: the loader accepts only System V (0) and GNU (3).
    package let osABI: UInt8
    package let type: FileType
    /// `PT_INTERP`: the program interpreter named by an executable.
    package let interpreter: String?
    /// Whether the file has a `PT_DYNAMIC` segment at all (static and relocatable files do not).
    package let isDynamic: Bool
    /// `DT_NEEDED` entries, in file order (the loader's order).
    package let needed: [String]
    package let soname: String?
    /// `DT_RPATH`, unexpanded (may hold `$ORIGIN`, `$LIB`, `$PLATFORM`).
    package let rpath: String?
    /// `DT_RUNPATH`, unexpanded.
    package let runpath: String?
    /// `DT_FLAGS_1`, 0 when absent.
    package let flags1: UInt64

    package init(path: String, target: ELFTarget, osABI: UInt8 = 0, type: FileType,
                interpreter: String?, isDynamic: Bool, needed: [String], soname: String?,
                rpath: String?, runpath: String?, flags1: UInt64) {
        self.path = path
        self.target = target
        self.osABI = osABI
        self.type = type
        self.interpreter = interpreter
        self.isDynamic = isDynamic
        self.needed = needed
        self.soname = soname
        self.rpath = rpath
        self.runpath = runpath
        self.flags1 = flags1
    }

    /// The same file reached through another path (a symlink, or another link to it).
    func at(_ otherPath: String) -> ELFFile {
        ELFFile(path: otherPath, target: target, osABI: osABI, type: type, interpreter: interpreter, isDynamic: isDynamic,
                needed: needed, soname: soname, rpath: rpath, runpath: runpath, flags1: flags1)
    }

    /// Reads the ELF file at `path` with bounded reads; every offset and size is checked against
    /// the file, so a truncated or hostile file throws instead of crashing.
    package static func read(path: String) throws(ELFError) -> ELFFile {
        guard let file = try ELFParser.parseIfELF(path: path)?.file else {
            throw ELFError(path: path, problem: .notELF)
        }
        return file
    }

    /// Whether the file at `path` is a regular file starting with the ELF magic. Unreadable
    /// files answer `false`.
    package static func hasELFMagic(path: String) -> Bool {
        guard let reader = try? BoundedFileReader(path: path), reader.size >= 4,
              let head = try? reader.read(offset: 0, count: 4) else { return false }
        return head == ELFParser.magic
    }
}
