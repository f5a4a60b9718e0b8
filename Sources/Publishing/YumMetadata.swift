import Foundation
import Packaging

/// The XML documents of `repodata/` in the form createrepo_c writes and dnf (libsolv) reads:
/// `primary` (what dependency resolution needs), `filelists` (every file), `other` (changelogs)
/// and `repomd.xml`, which names them with their checksums.
enum YumMetadata {
    struct Record {
        let kind: String
        let checksum: String
        let openChecksum: String
        let location: String
        let timestamp: Int64
        let size: Int
        let openSize: Int
    }

    static func primary(_ packages: [YumPackage]) -> String {
        var xml = header + "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"\(packages.count)\">\n"
        for package in packages {
            let rpm = package.header
            xml += "<package type=\"rpm\">\n"
            xml += "  <name>\(escaped(rpm.name))</name>\n"
            xml += "  <arch>\(escaped(rpm.arch))</arch>\n"
            xml += "  " + version(rpm) + "\n"
            xml += "  <checksum type=\"sha256\" pkgid=\"YES\">\(package.checksum)</checksum>\n"
            xml += "  <summary>\(escaped(rpm.summary))</summary>\n"
            xml += "  <description>\(escaped(rpm.description))</description>\n"
            xml += "  <packager>\(escaped(rpm.packager))</packager>\n"
            xml += "  <url>\(escaped(rpm.url))</url>\n"
            xml += "  <time file=\"\(package.fileTime)\" build=\"\(rpm.buildTime)\"/>\n"
            xml += "  <size package=\"\(package.size)\" installed=\"\(rpm.installedSize)\" archive=\"\(rpm.archiveSize)\"/>\n"
            xml += "  <location href=\"\(escaped(package.location))\"/>\n"
            xml += "  <format>\n"
            xml += "    <rpm:license>\(escaped(rpm.license))</rpm:license>\n"
            xml += "    <rpm:vendor>\(escaped(rpm.vendor))</rpm:vendor>\n"
            xml += "    <rpm:group>\(escaped(rpm.group))</rpm:group>\n"
            xml += "    <rpm:buildhost>\(escaped(rpm.buildHost))</rpm:buildhost>\n"
            xml += "    <rpm:sourcerpm>\(escaped(rpm.sourceRPM))</rpm:sourcerpm>\n"
            xml += "    <rpm:header-range start=\"\(rpm.headerStart)\" end=\"\(rpm.headerEnd)\"/>\n"
            xml += relations("provides", rpm.provides)
            xml += relations("requires", requirements(of: rpm), withPre: true)
            xml += relations("conflicts", rpm.conflicts)
            xml += relations("obsoletes", rpm.obsoletes)
            xml += relations("suggests", rpm.suggests)
            xml += relations("enhances", rpm.enhances)
            xml += relations("recommends", rpm.recommends)
            xml += relations("supplements", rpm.supplements)
            for file in rpm.files where isPrimaryFile(file.path) { xml += "    " + fileElement(file) + "\n" }
            xml += "  </format>\n</package>\n"
        }
        return xml + "</metadata>\n"
    }

    static func filelists(_ packages: [YumPackage]) -> String {
        var xml = header + "<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"\(packages.count)\">\n"
        for package in packages {
            let rpm = package.header
            xml += "<package pkgid=\"\(package.checksum)\" name=\"\(escaped(rpm.name))\" arch=\"\(escaped(rpm.arch))\">\n"
            xml += "  " + version(rpm) + "\n"
            for file in rpm.files { xml += "  " + fileElement(file) + "\n" }
            xml += "</package>\n"
        }
        return xml + "</filelists>\n"
    }

    static func other(_ packages: [YumPackage]) -> String {
        var xml = header + "<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"\(packages.count)\">\n"
        for package in packages {
            let rpm = package.header
            xml += "<package pkgid=\"\(package.checksum)\" name=\"\(escaped(rpm.name))\" arch=\"\(escaped(rpm.arch))\">\n"
            xml += "  " + version(rpm) + "\n"
            for entry in rpm.changelog {
                xml += "  <changelog author=\"\(escaped(entry.author))\" date=\"\(entry.date)\">\(escaped(entry.text))</changelog>\n"
            }
            xml += "</package>\n"
        }
        return xml + "</otherdata>\n"
    }

    static func repomd(_ records: [Record], revision: Int64) -> String {
        var xml = header + "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n"
        xml += "  <revision>\(revision)</revision>\n"
        for record in records {
            xml += """
                  <data type="\(record.kind)">
                    <checksum type="sha256">\(record.checksum)</checksum>
                    <open-checksum type="sha256">\(record.openChecksum)</open-checksum>
                    <location href="\(escaped(record.location))"/>
                    <timestamp>\(record.timestamp)</timestamp>
                    <size>\(record.size)</size>
                    <open-size>\(record.openSize)</open-size>
                  </data>

                """
        }
        return xml + "</repomd>\n"
    }

    /// The `<revision>` of the current repomd.xml, so a later publish never dates it earlier.
    static func revision(ofRepomdIn repodata: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: repodata + "/repomd.xml") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: "<revision>"), let end = text.range(of: "</revision>", range: start.upperBound..<text.endIndex)
        else { return nil }
        return Int64(text[start.upperBound..<end.lowerBound])
    }

    /// The indexes repomd.xml names, in the order it names them.
    static let kinds = ["primary", "filelists", "other"]

    /// The `location href`s of the current repomd.xml: the indexes a client holding it fetches.
    static func locations(inRepomdIn repodata: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: repodata + "/repomd.xml") else { return [] }
        return String(decoding: data, as: UTF8.self).components(separatedBy: "<location href=\"").dropFirst()
            .compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }

    /// What dnf must resolve: rpm's own feature markers are no package's to provide, and a
    /// requirement the package satisfies itself is left out, as createrepo_c does.
    static func requirements(of rpm: RPMPackageDescription) -> [RPMPackageDescription.Relation] {
        let provided = Set(rpm.provides.filter { $0.version.isEmpty }.map(\.name))
        let files = Set(rpm.files.map(\.path))
        var seen = Set<String>()
        return rpm.requires.filter { requirement in
            guard !requirement.isRPMLibFeature, !files.contains(requirement.name) else { return false }
            if requirement.version.isEmpty, provided.contains(requirement.name) { return false }
            return seen.insert("\(requirement.name)\u{0}\(requirement.flags)\u{0}\(requirement.version)").inserted
        }
    }

    /// Files dependency resolution may need without loading filelists (createrepo_c's rule):
    /// everything under /etc, anything in a `bin/` directory, and /usr/lib/sendmail.
    static func isPrimaryFile(_ path: String) -> Bool {
        path.hasPrefix("/etc/") || path.contains("bin/") || path == "/usr/lib/sendmail"
    }

    private static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    private static func version(_ rpm: RPMPackageDescription) -> String {
        "<version epoch=\"\(rpm.epoch)\" ver=\"\(escaped(rpm.version))\" rel=\"\(escaped(rpm.release))\"/>"
    }

    private static func fileElement(_ file: RPMPackageDescription.File) -> String {
        let type = file.isGhost ? " type=\"ghost\"" : file.isDirectory ? " type=\"dir\"" : ""
        return "<file\(type)>\(escaped(file.path))</file>"
    }

    private static func relations(_ element: String, _ relations: [RPMPackageDescription.Relation], withPre: Bool = false) -> String {
        guard !relations.isEmpty else { return "" }
        var xml = "    <rpm:\(element)>\n"
        for relation in relations {
            xml += "      <rpm:entry name=\"\(escaped(relation.name))\""
            if let comparison = relation.comparison, !relation.version.isEmpty {
                let (epoch, version, release) = evr(relation.version)
                xml += " flags=\"\(comparison)\" epoch=\"\(escaped(epoch))\" ver=\"\(escaped(version))\""
                if let release { xml += " rel=\"\(escaped(release))\"" }
            }
            if withPre, relation.isPrerequisite { xml += " pre=\"1\"" }
            xml += "/>\n"
        }
        return xml + "    </rpm:\(element)>\n"
    }

    /// `[epoch:]version[-release]` split as createrepo_c does; the epoch defaults to 0.
    static func evr(_ text: String) -> (String, String, String?) {
        var rest = Substring(text)
        var epoch = "0"
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy(\.isNumber) {
            epoch = rest[..<colon].isEmpty ? "0" : String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let dash = rest.lastIndex(of: "-") {
            return (epoch, String(rest[..<dash]), String(rest[rest.index(after: dash)...]))
        }
        return (epoch, String(rest), nil)
    }

    /// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xfffe || scalar.value == 0xffff: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
