/// What the version names of the base libraries mean: glibc's are its release numbers,
/// libstdc++'s and libgcc_s's map to the GCC release that introduced them (GCC's libstdc++
/// manual, "ABI Policy and Guidelines", versioning history), and which Debian package ships
/// each soname.
enum BaseLibraries {
    /// Report order.
    static let order = ["glibc", "libstdc++", "libgcc_s"]

    /// Sonames glibc itself ships (the loader included).
    static let glibcSonames: Set<String> = [
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
        "libresolv.so.2", "libanl.so.1", "libnsl.so.1", "libmvec.so.1", "libBrokenLocale.so.1",
        "libc_malloc_debug.so.0", "libthread_db.so.1", "libmemusage.so", "libpcprofile.so",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld-linux.so.2", "ld-linux-armhf.so.3",
        "ld64.so.2", "ld64.so.1", "ld-linux-riscv64-lp64d.so.1",
    ]

    /// `GLIBCXX_3.4.n` -> GCC release (the first release with it).
    static let glibcxx: [Int: String] = [
        19: "4.8.3", 20: "4.9", 21: "5", 22: "6", 23: "7", 24: "7.2", 25: "8", 26: "9", 27: "9.2",
        28: "9.3", 29: "11", 30: "12", 31: "13", 32: "13.2", 33: "14", 34: "15",
    ]
    /// `CXXABI_1.3.n` -> GCC release.
    static let cxxabi: [Int: String] = [
        8: "4.9", 9: "5", 10: "6", 11: "7", 12: "9", 13: "11", 14: "13", 15: "14", 16: "15",
    ]

    /// The floor one needed version name sets, nil for names that set none (`GLIBC_PRIVATE`,
    /// versions of libraries that are not base libraries, versions older than the tables).
    static func floor(of versionName: String, in soname: String, neededBy path: String) -> BaseSystemNeeds.Floor? {
        func floor(_ library: String, _ version: String) -> BaseSystemNeeds.Floor {
            .init(library: library, version: version, versionName: versionName, neededBy: path)
        }
        if glibcSonames.contains(soname) {
            // Binaries linked with -z pack-relative-relocs need a loader that knows DT_RELR (2.36).
            if versionName == "GLIBC_ABI_DT_RELR" { return floor("glibc", "2.36") }
            guard versionName.hasPrefix("GLIBC_"), let version = release(versionName.dropFirst(6)) else { return nil }
            return floor("glibc", version)
        }
        if soname == "libstdc++.so.6" {
            let table: [Int: String], prefix: String
            if versionName.hasPrefix("GLIBCXX_3.4.") { (table, prefix) = (glibcxx, "GLIBCXX_3.4.") }
            else if versionName.hasPrefix("CXXABI_1.3.") { (table, prefix) = (cxxabi, "CXXABI_1.3.") }
            else { return nil }
            guard let minor = Int(versionName.dropFirst(prefix.count)) else { return nil }
            if let gcc = table[minor] { return floor("libstdc++", gcc) }
            // Newer than the table: at least the newest release it knows.
            guard let newest = table.keys.max(), minor > newest, let gcc = table[newest] else { return nil }
            return floor("libstdc++", gcc)
        }
        if soname == "libgcc_s.so.1" {
            guard versionName.hasPrefix("GCC_"), var version = release(versionName.dropFirst(4)) else { return nil }
            // GCC_4.2.0 was introduced by GCC 4.2; Debian writes it that way too.
            if version.split(separator: ".").count == 3, version.hasSuffix(".0") { version.removeLast(2) }
            return floor("libgcc_s", version)
        }
        return nil
    }

    /// `2.34`, `2.2.5`: dot-separated decimal numbers, nil for anything else.
    static func release(_ text: Substring) -> String? {
        numericKey(String(text)) == nil ? nil : String(text)
    }

    static func numericKey(_ version: String) -> [Int]? {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    /// The Debian package shipping `soname`; `library` names the floor that gives its minimum
    /// version, `minimum` is the version to use otherwise.
    static func debianPackage(of soname: String) -> (name: String, library: String?, minimum: String?)? {
        if glibcSonames.contains(soname) { return ("libc6", "glibc", nil) }
        switch soname {
        case "libstdc++.so.6": return ("libstdc++6", "libstdc++", nil)
        case "libgcc_s.so.1": return ("libgcc-s1", "libgcc_s", nil)
        // libxcrypt's first Debian upload with the soname; every symbol's minimum in its symbols file.
        case "libcrypt.so.1": return ("libcrypt1", nil, "1:4.1.0")
        default: return nil
        }
    }
}
