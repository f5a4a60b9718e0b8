/// What the files of an install dir need from the base system they will run on: the lowest
/// glibc, libstdc++ and libgcc_s that have every symbol version they use, and the package
/// relations that say so (Debian `Depends`, rpm `Requires` as rpm's `elfdeps -R` writes them).
/// Libraries found inside the install dir are the package's own and are left out.
package struct BaseSystemNeeds: Sendable, Equatable, Codable {
    /// The lowest version of one base library the files need, and the version name deciding it.
    package struct Floor: Sendable, Equatable, Codable {
        /// `glibc`, `libstdc++` or `libgcc_s`.
        package let library: String
        /// `2.34` for glibc; the GCC release for libstdc++ and libgcc_s (`12`, `3.0`).
        package let version: String
        /// The symbol version that sets the floor (`GLIBC_2.34`, `GLIBCXX_3.4.30`).
        package let versionName: String
        /// The first file (relative to the install dir) needing it.
        package let neededBy: String
    }

    package let floors: [Floor]
    /// `libc6 (>= 2.34)`, sorted by package name.
    package let debianDepends: [String]
    /// `libc.so.6()(64bit)`, `libc.so.6(GLIBC_2.34)(64bit)`, `rtld(GNU_HASH)`, sorted.
    package let rpmRequires: [String]
    /// Libraries needed from outside the install dir that no Debian package is known for (the
    /// project declares those itself).
    package let unmappedLibraries: [String]

    package static let none = BaseSystemNeeds(floors: [], debianDepends: [], rpmRequires: [], unmappedLibraries: [])

    /// `needs glibc >= 2.34, libstdc++ >= GCC 12`, or nil when nothing sets a floor.
    package var summary: String? {
        guard !floors.isEmpty else { return nil }
        return "needs " + floors.map { floor in
            floor.library == "glibc" ? "glibc >= \(floor.version)" : "\(floor.library) >= GCC \(floor.version)"
        }.joined(separator: ", ")
    }

    /// Library -> floor version, for the package metadata (`base_system`).
    package var floorVersions: [String: String] {
        Dictionary(uniqueKeysWithValues: floors.map { ($0.library, $0.version) })
    }
}

extension BaseSystemNeeds {
    /// Derives the needs from the files' version requirements.
    /// - Parameter files: install-dir-relative path -> what the file needs, for every ELF file.
    ///   `executable` is whether any execute bit is set: like `elfdeps`, rpm requirements come
    ///   only from executable files.
    ///   `ownNames` are further names the package provides (its symlinks).
    package init(files: [(path: String, needs: VersionNeeds, executable: Bool)], ownNames: [String] = []) {
        // What the package provides itself: every file name and every soname inside it.
        var own = Set(files.map { PathNames.lastComponent($0.path) } + ownNames.map(PathNames.lastComponent))
        for file in files { if let soname = file.needs.soname { own.insert(soname) } }
        var external = Set<String>()
        var rpm = Set<String>()
        var best: [String: (floor: Floor, key: [Int])] = [:]
        for (path, needs, executable) in files.sorted(by: { $0.path < $1.path }) where needs.isLoadable {
            // elfdeps' class marker: 64-bit files say so, except on Alpha (EM_ALPHA, EM_FAKE_ALPHA).
            let marker = needs.target.elfClass == .elf64 && ![41, 0x9026].contains(needs.target.machine) ? "(64bit)" : ""
            for name in needs.needed where !own.contains(name) {
                external.insert(name)
                if executable { rpm.insert(marker.isEmpty ? name : "\(name)()\(marker)") }
            }
            if executable && needs.gnuHashOnly { rpm.insert("rtld(GNU_HASH)") }
            for need in needs.needs where !own.contains(need.file) {
                for versionName in need.versions {
                    if executable { rpm.insert("\(need.file)(\(versionName))\(marker)") }
                    guard let floor = BaseLibraries.floor(of: versionName, in: need.file, neededBy: path),
                          let key = BaseLibraries.numericKey(floor.version) else { continue }
                    if let current = best[floor.library], !current.key.lexicographicallyPrecedes(key) { continue }
                    best[floor.library] = (floor, key)
                }
            }
        }
        let floors = BaseLibraries.order.compactMap { best[$0]?.floor }
        var debian: [String: String] = [:]
        var unmapped: [String] = []
        for name in external.sorted() {
            guard let package = BaseLibraries.debianPackage(of: name) else {
                unmapped.append(name)
                continue
            }
            let minimum = package.library.flatMap { best[$0]?.floor.version } ?? package.minimum
            debian[package.name] = minimum.map { "\(package.name) (>= \($0))" } ?? package.name
        }
        self.init(floors: floors, debianDepends: debian.keys.sorted().map { debian[$0]! },
                  rpmRequires: rpm.sorted(), unmappedLibraries: unmapped)
    }
}
