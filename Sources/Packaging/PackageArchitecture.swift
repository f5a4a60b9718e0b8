#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A machine architecture and the names each package format gives it.
package struct PackageArchitecture: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's name (`uname -m`): `x86_64`, `aarch64`, `i686`, `armv7l`, `ppc64le`, ...
    /// or `noarch` for an architecture-independent package.
    package let machine: String

    package init(machine: String) {
        self.machine = machine
    }

    /// An architecture-independent package (`all` / `noarch`).
    package static let independent = PackageArchitecture(machine: "noarch")

    /// The architecture this process runs on.
    package static var host: PackageArchitecture {
        var names = utsname()
        uname(&names)
        let machine = withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return PackageArchitecture(machine: machine)
    }

    /// The Debian architecture name (`amd64`, `arm64`, ...); unknown machines pass through.
    package var debian: String {
        switch machine {
        case "noarch", "all": "all"
        case "x86_64", "amd64": "amd64"
        case "aarch64", "arm64": "arm64"
        case "i386", "i486", "i586", "i686": "i386"
        case "armv7l", "armv7hl", "armhf": "armhf"
        case "armv6l", "armv5tel", "armel": "armel"
        case "ppc64le", "ppc64el": "ppc64el"
        case "ppc64": "ppc64"
        case "s390x": "s390x"
        case "riscv64": "riscv64"
        case "mips64el", "mips64": "mips64el"
        case "loongarch64": "loong64"
        default: machine
        }
    }

    /// The RPM architecture name (`x86_64`, `aarch64`, ...); unknown machines pass through.
    package var rpm: String {
        switch machine {
        case "noarch", "all": "noarch"
        case "x86_64", "amd64": "x86_64"
        case "aarch64", "arm64": "aarch64"
        case "i386", "i486", "i586", "i686": "i686"
        case "armv7l", "armv7hl", "armhf": "armv7hl"
        case "ppc64le", "ppc64el": "ppc64le"
        default: machine
        }
    }

    /// The number rpm's lead carries for this architecture (from rpm's `rpmrc` arch table; rpm
    /// itself ignores it, older tools print it).
    var rpmLeadNumber: Int16 {
        switch rpm {
        case "x86_64", "i686", "noarch": 1
        case "aarch64": 19
        case "armv7hl": 12
        case "ppc64le", "ppc64": 16
        case "s390x": 15
        case "riscv64": 22
        default: 0
        }
    }

    package var description: String { machine }
}
