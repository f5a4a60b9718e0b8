import Definitions
/// The text of a `.deb`'s control members: `control`, `md5sums`, `conffiles`.
enum DebControl {
    /// `package.deb` keys and the control fields they fill, in the order `dpkg-gencontrol` writes them.
    static let relationFields: [(key: String, field: String)] = [
        ("pre_depends", "Pre-Depends"), ("depends", "Depends"), ("recommends", "Recommends"), ("suggests", "Suggests"),
        ("enhances", "Enhances"), ("breaks", "Breaks"), ("conflicts", "Conflicts"), ("replaces", "Replaces"),
        ("provides", "Provides"),
    ]

    /// The `control` file, fields in the order `dpkg-gencontrol` writes them.
    static func control(_ info: PackageInfo, section: String, priority: String, relations: [String: [String]] = [:],
                        installedSizeKiB: Int64) throws(PackagingError) -> String {
        var fields: [(String, String)] = [
            ("Package", info.name),
            ("Version", info.debianVersion),
            ("Architecture", info.architecture.debian),
            ("Maintainer", info.maintainer),
            ("Installed-Size", String(installedSizeKiB)),
        ]
        let neutral = ["depends": info.runtimeDependencies, "conflicts": info.conflicts, "replaces": info.replaces,
                       "provides": info.provides]
        for (key, field) in relationFields {
            var list = mergedRelations(neutral[key, default: []], relations[key, default: []])
            // Relations derived from the files come after all of the project's own; an identical one is written once.
            if key == "depends" { list = mergedRelations(list, info.baseSystem.debian) }
            guard !list.isEmpty else { continue }
            fields.append((field, try list.map { item throws(PackagingError) in try PackageDependency.parsed(item).debian }
                .joined(separator: ", ")))
        }
        fields += [("Section", section), ("Priority", priority), ("Homepage", info.homepage)]
        var text = ""
        for (field, value) in fields where !value.isEmpty {
            text += "\(field): \(value)\n"
        }
        text += "Description: \(info.synopsis)\n"
        for line in info.extendedDescription {
            // An empty line would end the paragraph; " ." is dpkg's blank line.
            text += line.isEmpty ? " .\n" : " \(line)\n"
        }
        return text
    }

    /// `md5sums`: `<hex>  <path without leading />` per regular file; conffiles are left out,
    /// as debhelper does, because dpkg keeps their sums in its status file.
    static func md5sums(_ digests: [(path: String, digest: String)], configFiles: Set<String>) -> String {
        var text = ""
        for (path, digest) in digests where !configFiles.contains(path) {
            text += "\(digest)  \(path.drop { $0 == "/" })\n"
        }
        return text
    }

    /// `conffiles`: one absolute path per line.
    static func conffiles(_ contents: PackageContents) -> String {
        contents.configFiles.map { $0.path + "\n" }.joined()
    }

    /// dpkg's Installed-Size: KiB per regular file rounded up (a hard-linked file once), plus one
    /// per directory (the parents `./` and `./opt/` included) and symlink, as `dpkg-gencontrol`
    /// counts.
    static func installedSizeKiB(_ contents: PackageContents) -> Int64 {
        contents.entries.reduce(Int64(TarMembers.missingParents(of: contents).count)) { total, entry in
            switch entry.kind {
            case .file: total + (entry.size + 1023) / 1024
            case .hardlink: total
            case .directory, .symlink: total + 1
            }
        }
    }
}
