import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the glibc loader for one target (class, byte order, machine) does that is not written in
/// the object itself: its cache ID, `$LIB` and `$PLATFORM`, default directories, the
/// hardware-capability subdirectories it tries first in every directory, and its own name.
package struct LoaderEnvironment: Sendable, Equatable {
    /// The flags a cache entry must carry for this loader to take it (`_DL_CACHE_DEFAULT_ID`).
    package let cacheFlags: Int32
    /// Expansion of `$LIB`.
    package let lib: String
    /// Expansion of `$PLATFORM` (`AT_PLATFORM`).
    package let platform: String
    /// The trusted directories searched last (glibc's `SYSTEM_DIRS`).
    package let defaultDirectories: [String]
    /// Subdirectories tried, in order, before each search directory itself
    /// (`glibc-hwcaps/x86-64-v3`, legacy `tls`, `x86_64`...).
    package let capabilitySubdirectories: [String]
    /// The loader's own path, standing in for `PT_INTERP` when the checked file has none.
    package let interpreter: String?
    /// Names the kernel's vDSO answers to.
    package let vdsoNames: [String]

    package init(cacheFlags: Int32, lib: String, platform: String, defaultDirectories: [String],
                capabilitySubdirectories: [String], interpreter: String?, vdsoNames: [String]) {
        self.cacheFlags = cacheFlags
        self.lib = lib
        self.platform = platform
        self.defaultDirectories = defaultDirectories
        self.capabilitySubdirectories = capabilitySubdirectories
        self.interpreter = interpreter
        self.vdsoNames = vdsoNames
        self.hwcapsPriority = capabilitySubdirectories.compactMap {
            $0.hasPrefix("glibc-hwcaps/") ? String($0.dropFirst("glibc-hwcaps/".count)) : nil
        }
    }

    /// `glibc-hwcaps` subdirectory names in priority order, as the cache lookup ranks them.
    package let hwcapsPriority: [String]

    /// The environment of the system's loader for `target` on this host. Debian-style multiarch
    /// (`/usr/lib/<triplet>` exists) gives `$LIB = lib/<triplet>` and the four Debian default
    /// directories; otherwise 64-bit targets that use `lib64` get `/lib64:/usr/lib64`, others
    /// `/lib:/usr/lib`. Hardware-capability subdirectories are listed for x86-64 only, all
    /// levels included (the target CPU may support any of them).
    package static func host(for target: ELFTarget) -> LoaderEnvironment {
        let abi = ABI(target)
        let multiarch = abi.triplet.map { directoryExists("/usr/lib/" + $0) } ?? false
        let lib: String
        let defaults: [String]
        if multiarch, let triplet = abi.triplet {
            lib = "lib/" + triplet
            defaults = ["/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib"]
        } else if abi.usesLib64 {
            lib = "lib64"
            defaults = ["/lib64", "/usr/lib64"]
        } else {
            lib = "lib"
            defaults = ["/lib", "/usr/lib"]
        }
        var subdirectories: [String] = []
        if target.machine == ELFMachine.x86_64, target.elfClass == .elf64 {
            let version = glibcVersion
            if version >= (2, 33) {
                subdirectories += ["x86-64-v4", "x86-64-v3", "x86-64-v2"].map { "glibc-hwcaps/" + $0 }
            }
            if version < (2, 37) {
                subdirectories += ["tls/x86_64/x86_64", "tls/x86_64", "tls", "x86_64/x86_64", "x86_64"]
            }
        }
        return LoaderEnvironment(cacheFlags: abi.cacheFlags, lib: lib, platform: abi.platform,
                                 defaultDirectories: defaults, capabilitySubdirectories: subdirectories,
                                 interpreter: abi.interpreter, vdsoNames: abi.vdsoNames)
    }

    /// The host glibc's version; (0, 0) when not on glibc, which disables version-gated searches.
    static let glibcVersion: (Int, Int) = {
        #if canImport(Glibc)
        // confstr answers "glibc 2.36".
        var buffer = [CChar](repeating: 0, count: 64)
        if confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 {
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let parts = text.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
            if parts.count >= 2 { return (parts[0], parts[1]) }
        }
        #endif
        return (0, 0)
    }()

    private static func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// glibc's per-architecture constants (sysdeps/*/dl-cache.h, ldsodefs.h, the multiarch tuples).
private struct ABI {
    var cacheFlags: Int32 = 0x0003
    var triplet: String?
    var usesLib64 = false
    var platform: String
    var interpreter: String?
    var vdsoNames = ["linux-vdso.so.1"]

    init(_ target: ELFTarget) {
        let wide = target.elfClass == .elf64
        let little = target.endianness == .little
        platform = ELFTarget.machineName(target.machine).lowercased()
        switch (target.machine, wide) {
        case (ELFMachine.x86_64, true):
            (cacheFlags, triplet, usesLib64, platform) = (0x0303, "x86_64-linux-gnu", true, "x86_64")
            interpreter = "/lib64/ld-linux-x86-64.so.2"
        case (ELFMachine.x86_64, false):
            (cacheFlags, triplet, platform) = (0x0803, "x86_64-linux-gnux32", "x86_64")
            interpreter = "/libx32/ld-linux-x32.so.2"
        case (ELFMachine.i386, _):
            (triplet, platform, interpreter) = ("i386-linux-gnu", "i686", "/lib/ld-linux.so.2")
            vdsoNames = ["linux-gate.so.1"]
        case (ELFMachine.aarch64, true):
            (cacheFlags, triplet, usesLib64, platform) = (0x0a03, "aarch64-linux-gnu", true, "aarch64")
            interpreter = "/lib/ld-linux-aarch64.so.1"
        case (ELFMachine.arm, _):
            (cacheFlags, triplet, platform) = (0x0903, "arm-linux-gnueabihf", "v7l")
            interpreter = "/lib/ld-linux-armhf.so.3"
        case (ELFMachine.ppc64, true):
            (cacheFlags, usesLib64) = (0x0503, true)
            triplet = little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu"
            platform = little ? "power8" : "ppc64"
            interpreter = little ? "/lib64/ld64.so.2" : "/lib64/ld64.so.1"
            vdsoNames = ["linux-vdso64.so.1"]
        case (ELFMachine.ppc, false):
            (triplet, platform, interpreter) = ("powerpc-linux-gnu", "ppc", "/lib/ld.so.1")
            vdsoNames = ["linux-vdso32.so.1"]
        case (ELFMachine.s390, true):
            (cacheFlags, triplet, usesLib64, platform) = (0x0403, "s390x-linux-gnu", true, "z13")
            interpreter = "/lib/ld64.so.1"
            vdsoNames = ["linux-vdso64.so.1"]
        case (ELFMachine.riscv, true):
            (cacheFlags, triplet, usesLib64, platform) = (0x1003, "riscv64-linux-gnu", true, "riscv64")
            interpreter = "/lib/ld-linux-riscv64-lp64d.so.1"
        default:
            break
        }
    }
}
