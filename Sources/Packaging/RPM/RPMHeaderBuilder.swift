import Definitions
import Archive

/// The main rpm header: package description, dependencies, scripts, the file list, payload facts.
struct RPMHeaderBuilder {
    let info: PackageInfo
    let contents: PackageContents
    let payload: RPMPayload
    let compression: ArchiveCompression
    /// rpm's Vendor tag (nil: none) and Group tag.
    let vendor: String?
    let group: String
    /// `package.rpm` relation lists by key; see `RPMPackager.relationOptions`.
    var relations: [String: [String]] = [:]

    func build() throws(PackagingError) -> RPMHeader {
        var header = RPMHeader()
        header[RPMTag.headerI18NTable] = .stringArray(["C"])
        header[RPMTag.name] = .string(info.name)
        header[RPMTag.version] = .string(info.rpmVersion)
        header[RPMTag.release] = .string(info.rpmRelease)
        header[RPMTag.summary] = .i18nString(info.synopsis)
        let extended = info.extendedDescription
        header[RPMTag.description] = .i18nString(extended.isEmpty ? info.synopsis : extended.joined(separator: "\n"))
        header[RPMTag.buildTime] = .int32([UInt32(info.effectiveEpoch)])
        // A fixed name, as rpmbuild's reproducible-build setups use (`%_buildhost reproducible`):
        // tools expect the tag, the real host name would make two builds differ.
        header[RPMTag.buildHost] = .string("reproducible")
        if let vendor, !vendor.isEmpty { header[RPMTag.vendor] = .string(vendor) }
        header[RPMTag.license] = .string(info.license)
        header[RPMTag.packager] = .string(info.maintainer)
        header[RPMTag.group] = .i18nString(group)
        if !info.homepage.isEmpty { header[RPMTag.url] = .string(info.homepage) }
        header[RPMTag.os] = .string("linux")
        header[RPMTag.arch] = .string(info.architecture.rpm)
        // Its presence is what makes rpm treat the package as binary, not source.
        header[RPMTag.sourceRPM] = .string("\(info.name)-\(info.rpmVersion)-\(info.rpmRelease).src.rpm")
        header[RPMTag.payloadFormat] = .string("cpio")
        header[RPMTag.payloadCompressor] = .string(compression.algorithm == .gzip ? "gzip" : compression.algorithm.rawValue)
        header[RPMTag.payloadFlags] = .string(String(compression.level))
        header[RPMTag.encoding] = .string("utf-8")
        header[RPMTag.payloadDigest] = .stringArray([payload.sha256])
        header[RPMTag.payloadDigestAlgo] = .int32([RPMFlags.sha256Algorithm])
        addScripts(to: &header)
        try addDependencies(to: &header)
        addFiles(to: &header)
        return header
    }

    private func addScripts(to header: inout RPMHeader) {
        let tags: [(ScriptKind, UInt32, UInt32)] = [
            (.preinst, RPMTag.preIn, RPMTag.preInProg), (.postinst, RPMTag.postIn, RPMTag.postInProg),
            (.prerm, RPMTag.preUn, RPMTag.preUnProg), (.postrm, RPMTag.postUn, RPMTag.postUnProg),
            (.pretrans, RPMTag.preTrans, RPMTag.preTransProg), (.posttrans, RPMTag.postTrans, RPMTag.postTransProg),
        ]
        for (kind, scriptTag, programTag) in tags {
            guard let script = info.scripts[kind], !script.isEmpty else { continue }
            header[scriptTag] = .string(script)
            let program = Self.interpreter(of: script)
            header[programTag] = program.count == 1 ? .string(program[0]) : .stringArray(program)
        }
    }

    /// The `#!` line's interpreter and its argument; `/bin/sh` when there is none.
    static func interpreter(of script: String) -> [String] {
        guard script.hasPrefix("#!") else { return ["/bin/sh"] }
        let line = script.dropFirst(2).prefix { $0 != "\n" }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let program = words.first else { return ["/bin/sh"] }
        // The kernel passes everything after the interpreter as one argument.
        return words.count > 1 ? [program, words.dropFirst().joined(separator: " ")] : [program]
    }

    private func addDependencies(to header: inout RPMHeader) throws(PackagingError) {
        func parsed(_ list: [String]) throws(PackagingError) -> [PackageDependency] {
            try list.map { item throws(PackagingError) in try PackageDependency.parsed(item) }
        }
        func merged(_ neutral: [String], _ key: String) throws(PackagingError) -> [PackageDependency] {
            try parsed(mergedRelations(neutral, relations[key, default: []]))
        }
        let runtime = try merged(info.runtimeDependencies, "requires")
        var requires = runtime.map(\.rpm)
        // rpmbuild marks what its dependency generator found with RPMSENSE_FIND_REQUIRES.
        let declared = Set(requires.map(\.name))
        requires += info.baseSystem.rpm.filter { !declared.contains($0) }.map { ($0, RPMFlags.findRequires, "") }
        let scriptFlags: [(ScriptKind, UInt32)] = [
            (.preinst, RPMFlags.scriptPre), (.postinst, RPMFlags.scriptPost),
            (.prerm, RPMFlags.scriptPreUn), (.postrm, RPMFlags.scriptPostUn),
            (.pretrans, RPMFlags.preTrans), (.posttrans, RPMFlags.postTrans),
        ]
        for (kind, flag) in scriptFlags {
            guard let script = info.scripts[kind], !script.isEmpty else { continue }
            requires.append((Self.interpreter(of: script)[0], RPMFlags.interpreter | flag, ""))
        }
        var features = [("rpmlib(CompressedFileNames)", "3.0.4-1"), ("rpmlib(FileDigests)", "4.6.0-1"),
                        ("rpmlib(PayloadFilesHavePrefix)", "4.0-1")]
        if compression.algorithm == .xz { features.append(("rpmlib(PayloadIsXz)", "5.2-1")) }
        if compression.algorithm == .zstd { features.append(("rpmlib(PayloadIsZstd)", "5.4.18-1")) }
        let weak: [(String, UInt32, UInt32, UInt32)] = [
            ("recommends", RPMTag.recommendName, RPMTag.recommendFlags, RPMTag.recommendVersion),
            ("suggests", RPMTag.suggestName, RPMTag.suggestFlags, RPMTag.suggestVersion),
            ("supplements", RPMTag.supplementName, RPMTag.supplementFlags, RPMTag.supplementVersion),
            ("enhances", RPMTag.enhanceName, RPMTag.enhanceFlags, RPMTag.enhanceVersion),
        ]
        var anyRich = runtime.contains(where: \.isRich)
        for (key, names, flags, versions) in weak {
            let list = try merged([], key)
            anyRich = anyRich || list.contains(where: \.isRich)
            if !list.isEmpty { set(list.map(\.rpm), names: names, flags: flags, versions: versions, in: &header) }
        }
        if anyRich { features.append(("rpmlib(RichDependencies)", "4.12.0-1")) }
        let featureFlags = RPMFlags.rpmlib | RPMFlags.less | RPMFlags.equal
        requires += features.sorted { $0.0 < $1.0 }.map { ($0.0, featureFlags, $0.1) }
        set(requires, names: RPMTag.requireName, flags: RPMTag.requireFlags, versions: RPMTag.requireVersion, in: &header)

        let evr = "\(info.rpmVersion)-\(info.rpmRelease)"
        var provides = try merged(info.provides, "provides").map(\.rpm)
        provides.append((info.name, RPMFlags.equal, evr))
        if let isa = Self.isaName(info.architecture.rpm) { provides.append(("\(info.name)(\(isa))", RPMFlags.equal, evr)) }
        set(provides, names: RPMTag.provideName, flags: RPMTag.provideFlags, versions: RPMTag.provideVersion, in: &header)

        let conflicts = try merged(info.conflicts, "conflicts").map(\.rpm)
        if !conflicts.isEmpty {
            set(conflicts, names: RPMTag.conflictName, flags: RPMTag.conflictFlags, versions: RPMTag.conflictVersion, in: &header)
        }
        // rpm has no Replaces: Obsoletes is the closest (the old package is removed on install).
        let obsoletes = try merged(info.replaces, "obsoletes").map(\.rpm)
        if !obsoletes.isEmpty {
            set(obsoletes, names: RPMTag.obsoleteName, flags: RPMTag.obsoleteFlags, versions: RPMTag.obsoleteVersion, in: &header)
        }
    }

    /// rpm's `%{_isa}` names, as in `demo(x86-64)`.
    private static func isaName(_ arch: String) -> String? {
        switch arch {
        case "x86_64": "x86-64"
        case "i686": "x86-32"
        case "aarch64": "aarch-64"
        case "ppc64le", "ppc64": "ppc-64"
        case "s390x": "s390-64"
        case "riscv64": "riscv-64"
        case "armv7hl": "arm-32"
        default: nil
        }
    }

    private func set(_ relations: [(String, UInt32, String)], names: UInt32, flags: UInt32, versions: UInt32,
                     in header: inout RPMHeader) {
        header[names] = .stringArray(relations.map(\.0))
        header[flags] = .int32(relations.map(\.1))
        header[versions] = .stringArray(relations.map(\.2))
    }

    private func addFiles(to header: inout RPMHeader) {
        var dirNames: [String] = []
        var dirIndex: [String: UInt32] = [:]
        var baseNames: [String] = [], dirIndexes: [UInt32] = [], sizes: [UInt64] = []
        var modes: [UInt16] = [], mtimes: [UInt32] = [], digests: [String] = [], linkTos: [String] = []
        var flags: [UInt32] = [], users: [String] = [], groups: [String] = [], inodes: [UInt32] = []
        var installedSize: UInt64 = 0
        for entry in contents.entries {
            let slash = entry.path.lastIndex(of: "/")!
            let dir = String(entry.path[...slash])
            if dirIndex[dir] == nil {
                dirIndex[dir] = UInt32(dirNames.count)
                dirNames.append(dir)
            }
            dirIndexes.append(dirIndex[dir]!)
            baseNames.append(String(entry.path[entry.path.index(after: slash)...]))
            var linkTo = ""
            switch entry.kind {
            case .file:
                installedSize += UInt64(entry.size)
                sizes.append(UInt64(entry.size))
            case .hardlink:
                sizes.append(UInt64(entry.size))
            case .symlink(let target):
                linkTo = target
                sizes.append(UInt64(entry.size))
            case .directory:
                // What rpmbuild records for a directory on ext4; nothing reads it back.
                sizes.append(4096)
            }
            modes.append(UInt16(truncatingIfNeeded: entry.mode))
            mtimes.append(UInt32(entry.modificationTime))
            digests.append(payload.fileDigests[entry.path] ?? "")
            linkTos.append(linkTo)
            flags.append(entry.isConfig ? RPMFlags.fileConfig | RPMFlags.fileNoReplace : 0)
            users.append(entry.user)
            groups.append(entry.group)
            inodes.append(entry.inode)
        }
        let count = contents.entries.count
        header[RPMTag.dirNames] = .stringArray(dirNames)
        header[RPMTag.dirIndexes] = .int32(dirIndexes)
        header[RPMTag.baseNames] = .stringArray(baseNames)
        // The payload cannot hold files of 4 GiB (checked there), so 32-bit sizes always suffice.
        header[RPMTag.fileSizes] = .int32(sizes.map { UInt32(truncatingIfNeeded: $0) })
        if installedSize > UInt64(UInt32.max) {
            header[RPMTag.longSize] = .int64([installedSize])
        } else {
            header[RPMTag.size] = .int32([UInt32(installedSize)])
        }
        header[RPMTag.fileModes] = .int16(modes)
        header[RPMTag.fileRDevs] = .int16([UInt16](repeating: 0, count: count))
        header[RPMTag.fileMTimes] = .int32(mtimes)
        header[RPMTag.fileDigests] = .stringArray(digests)
        header[RPMTag.fileLinkTos] = .stringArray(linkTos)
        header[RPMTag.fileFlags] = .int32(flags)
        header[RPMTag.fileUserName] = .stringArray(users)
        header[RPMTag.fileGroupName] = .stringArray(groups)
        header[RPMTag.fileVerifyFlags] = .int32([UInt32](repeating: UInt32.max, count: count))
        header[RPMTag.fileDevices] = .int32([UInt32](repeating: 1, count: count))
        header[RPMTag.fileInodes] = .int32(inodes)
        header[RPMTag.fileLangs] = .stringArray([String](repeating: "", count: count))
        header[RPMTag.fileDigestAlgo] = .int32([RPMFlags.sha256Algorithm])
    }
}
