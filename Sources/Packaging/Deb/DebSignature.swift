import Foundation

/// The debsigs format that `debsig-verify` checks: an ar member `_gpgorigin`, after the data
/// member, holding a detached OpenPGP signature of the contents of `debian-binary`,
/// `control.tar.*` and `data.tar.*` concatenated in that order (member bodies only, without ar
/// headers or padding). dpkg skips members whose name starts with `_`, so a signed deb installs
/// like the unsigned one.
enum DebSignature {
    static let memberName = "_gpgorigin"

    struct Member {
        let name: String
        let dataOffset: UInt64
        let size: UInt64
    }

    /// The members of the ar archive at `path`, in order.
    static func members(of file: FileHandle, path: String) throws -> [Member] {
        func bad(_ reason: String) -> PackagingError { .unreadable(path: path, reason: reason) }
        let end: UInt64
        do { end = try file.seekToEnd() } catch { throw bad(error.localizedDescription) }
        guard try FileRange.read(file, at: 0, count: 8, path: path) == Array("!<arch>\n".utf8) else {
            throw bad("not an ar archive")
        }
        var members: [Member] = []
        var offset: UInt64 = 8
        while offset < end {
            let header = try FileRange.read(file, at: offset, count: 60, path: path)
            guard header[58] == 0x60, header[59] == 0x0a else { throw bad("damaged ar member header at byte \(offset)") }
            func field(_ range: Range<Int>) -> String {
                String(decoding: header[range], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
            var name = field(0..<16)
            if name.hasSuffix("/") { name.removeLast() }
            guard let size = UInt64(field(48..<58)) else { throw bad("damaged ar member size at byte \(offset)") }
            members.append(Member(name: name, dataOffset: offset + 60, size: size))
            offset += 60 + size + size % 2
        }
        return members
    }

    /// The 60-byte ar header of the signature member, laid out like the other members' (owner
    /// 0, mode 0644, dated `epoch`) so equal inputs give equal bytes.
    static func memberHeader(size: Int, epoch: Int64) -> [UInt8] {
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        let text = padded(memberName, 16) + padded(String(epoch), 12) + padded("0", 6) + padded("0", 6)
            + padded("100644", 8) + padded(String(size), 10) + "`\n"
        return Array(text.utf8)
    }
}

extension DebPackager {
    /// Appends `_gpgorigin` to the deb at `path`: the members before it are not touched.
    package func sign(packageAt path: String, info: PackageInfo, with signer: any PackageSigner,
                      scratchDirectory: String) async throws -> PackageSignature {
        guard let file = FileHandle(forUpdatingAtPath: path) else {
            throw PackagingError.unreadable(path: path, reason: "cannot open the staged deb")
        }
        defer { try? file.close() }
        let members = try DebSignature.members(of: file, path: path)
        let names = members.map(\.name)
        guard names.count == 3, names[0] == "debian-binary", names[1].hasPrefix("control.tar"),
              names[2].hasPrefix("data.tar") else {
            throw PackagingError.signing("\(path) has the members \(names.joined(separator: ", ")); a deb to sign has debian-binary, control.tar.*, data.tar.* and nothing else")
        }
        let signedPath = scratchDirectory + "/deb-signed-members"
        defer { unlink(signedPath) }
        let signed = try FileSink(creating: signedPath)
        for member in members {
            try FileRange.copy(file, from: member.dataOffset, count: member.size, source: path, to: signed)
        }
        _ = try signed.finish()
        // Armored, as debsigs writes it; debsig-verify hands either form to gpg.
        let signature = try await signer.signature(ofFile: signedPath, armored: true)
        var member = DebSignature.memberHeader(size: signature.count, epoch: info.effectiveEpoch) + signature
        if signature.count % 2 == 1 { member.append(0x0a) }
        do {
            try file.seekToEnd()
            try file.write(contentsOf: member)
            try file.synchronize()
        } catch {
            throw PackagingError.output(path: path, reason: error.localizedDescription)
        }
        return .embedded
    }
}
