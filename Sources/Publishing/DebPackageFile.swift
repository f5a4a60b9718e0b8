import Archive
import Foundation

/// A `.deb` as an apt index sees it: the fields of its `control` file and its file digests.
struct DebPackageFile {
    let path: String
    let control: ControlStanza
    let size: Int64
    let md5: String
    let sha256: String
    let sha512: String

    var name: String { control["Package"] ?? "" }
    var version: String { control["Version"] ?? "" }
    var architecture: String { control["Architecture"] ?? "" }

    /// `name_version_arch.deb`, the epoch left out as Debian's archive tools do.
    var canonicalFileName: String {
        let plainVersion = version.firstIndex(of: ":").map { String(version[version.index(after: $0)...]) } ?? version
        return "\(name)_\(plainVersion)_\(architecture).deb"
    }

    static func read(_ path: String) throws(PublishError) -> DebPackageFile {
        let control = try controlStanza(path)
        for field in ["Package", "Version", "Architecture"] where (control[field] ?? "").isEmpty {
            throw .unreadablePackage(path: path, reason: "its control file has no \(field) field")
        }
        // They become a path in the pool: Debian policy's characters only, never a '/' or '..'.
        for (field, allowed) in [("Package", "abcdefghijklmnopqrstuvwxyz0123456789+-."),
                                 ("Version", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+~:-"),
                                 ("Architecture", "abcdefghijklmnopqrstuvwxyz0123456789-")] {
            let value = control[field] ?? ""
            guard value.allSatisfy({ allowed.contains($0) }), !value.hasPrefix("."), !value.hasPrefix("-") else {
                throw .unreadablePackage(path: path, reason: "its \(field) '\(value)' has characters Debian does not allow there")
            }
        }
        let digests = try RepositoryFiles.digests(ofFile: path, [.md5, .sha256, .sha512])
        return DebPackageFile(path: path, control: control, size: RepositoryFiles.size(of: path),
                              md5: digests[.md5] ?? "", sha256: digests[.sha256] ?? "", sha512: digests[.sha512] ?? "")
    }

    /// The `control` member of `control.tar.*`, itself a member of the outer ar archive.
    private static func controlStanza(_ path: String) throws(PublishError) -> ControlStanza {
        do {
            let outer = try ArchiveReader(path: path)
            var members: [String] = []
            while let entry = try outer.nextEntry() {
                members.append(entry.path)
                guard entry.path.hasPrefix("control.tar") else { continue }
                var bytes: [UInt8] = []
                try outer.readData { bytes.append(contentsOf: $0) }
                let inner = try ArchiveReader(bytes: bytes, name: "\(path)(\(entry.path))")
                while let file = try inner.nextEntry() {
                    guard file.path == "./control" || file.path == "control" else { continue }
                    var text: [UInt8] = []
                    try inner.readData { text.append(contentsOf: $0) }
                    let stanzas = try ControlStanza.parseAll(String(decoding: text, as: UTF8.self))
                    guard stanzas.count == 1 else { throw StanzaError(line: 1, reason: "\(stanzas.count) paragraphs where one is expected") }
                    return stanzas[0]
                }
                throw StanzaError(line: 0, reason: "\(entry.path) has no control file")
            }
            throw StanzaError(line: 0, reason: "no control.tar member (members: \(members.joined(separator: ", ")))")
        } catch let error as PublishError {
            throw error
        } catch {
            throw .unreadablePackage(path: path, reason: "not a readable .deb: \(error)")
        }
    }
}
