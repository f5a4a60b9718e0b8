import Archive
import Foundation
import Testing
@testable import Packaging

/// Many hard-link groups whose members are spread over several directories and interleaved with
/// each other in path order, as in ncurses' terminfo database. Each format is installed or
/// extracted by the real tool, and every name must come back with its own group's bytes, linked
/// to exactly the names of its group.
@Suite(.serialized) struct HardLinkTests {
    struct Tree {
        let base: String
        let root: String
        let installDir = "/opt/omnibus-hardlinks"
        /// Group number -> its names, relative to the install dir.
        var groups: [[String]] = []
    }

    /// 24 groups of 2 to 4 names: group g puts its names in directories `d0`...`d5`, so every
    /// directory holds members of many groups and no group's names are adjacent in path order.
    static func makeTree() throws -> Tree {
        let base = FileManager.default.temporaryDirectory.path + "/hardlinks-" + UUID().uuidString
        var tree = Tree(base: base, root: base + "/root")
        let manager = FileManager.default
        for group in 0..<24 {
            let count = 2 + group % 3
            var names: [String] = []
            for member in 0..<count {
                let directory = "share/d\((group + member * 5) % 6)"
                try manager.createDirectory(atPath: tree.root + "/" + directory, withIntermediateDirectories: true)
                names.append("\(directory)/f\(String(format: "%02d", (group * 7 + member * 11) % 50))-\(group)")
            }
            let first = tree.root + "/" + names[0]
            // Different sizes per group: a wrong link shows as a wrong size, not only wrong bytes.
            try Data(String(repeating: "group \(group)\n", count: group + 1).utf8).write(to: URL(fileURLWithPath: first))
            for name in names.dropFirst() { try manager.linkItem(atPath: first, toPath: tree.root + "/" + name) }
            tree.groups.append(names)
        }
        try Data("not linked\n".utf8).write(to: URL(fileURLWithPath: tree.root + "/share/single"))
        return tree
    }

    static func info(_ tree: Tree) -> PackageInfo {
        PackageInfo(name: "omnibus-hardlinks", version: "1.0", maintainer: "Tests <tests@example.com>",
                    description: "hard link groups", installDir: tree.installDir, sourceDateEpoch: 1_700_000_000)
    }

    static func build(_ packager: some Packager, _ tree: Tree) throws -> String {
        let info = info(tree)
        let contents = try PackageContents.scan(root: tree.root, info: info)
        return try PackageWriter.write(packager, contents: contents, info: info, outputDirectory: tree.base + "/out").path
    }

    /// Every group's names share one inode with the right link count and bytes; groups never share.
    static func expectGroupsIntact(_ tree: Tree, installedAt prefix: String) throws {
        var seen: [ino_t: Int] = [:]
        for (group, names) in tree.groups.enumerated() {
            let expected = try Data(contentsOf: URL(fileURLWithPath: tree.root + "/" + names[0]))
            var inode: ino_t?
            for name in names {
                var status = stat()
                let path = prefix + "/" + name
                try #require(lstat(path, &status) == 0, "\(name) is missing")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected, "\(name) holds another group's bytes")
                #expect(status.st_nlink == nlink_t(names.count), "\(name) has \(status.st_nlink) links, its group \(names.count)")
                if let inode { #expect(status.st_ino == inode, "\(name) is not linked to \(names[0])") } else { inode = status.st_ino }
            }
            if let inode {
                #expect(seen[inode] == nil, "groups \(seen[inode] ?? -1) and \(group) share an inode")
                seen[inode] = group
            }
        }
    }

    static let canInstallRPM = Command.isRoot && Command.which("rpm") != nil

    @Test(.enabled(if: canInstallRPM, "needs root and rpm (CI runs as root)"))
    func rpmInstallKeepsEveryLinkGroupApart() async throws {
        let tree = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.base) }
        let rpm = try Self.build(RPMPackager(compression: ArchiveCompression(.gzip)), tree)
        let root = tree.base + "/rpmroot"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let install = try await Command.run("rpm", ["-i", "--root", root, "--nodeps", "--noscripts", rpm])
        #expect(install.succeeded, "\(install.text)\(install.error)")
        let verify = try await Command.run("rpm", ["--root", root, "-V", "--nodeps", "--noscripts", "omnibus-hardlinks"])
        #expect(verify.succeeded && verify.text.isEmpty, "rpm -V: \(verify.text)\(verify.error)")
        try Self.expectGroupsIntact(tree, installedAt: root + tree.installDir)
    }

    @Test(.enabled(if: Command.which("dpkg-deb") != nil, "needs dpkg-deb"))
    func debExtractsEveryLinkGroupApart() async throws {
        let tree = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.base) }
        let deb = try Self.build(DebPackager(compression: ArchiveCompression(.xz)), tree)
        let target = tree.base + "/deb"
        let extract = try await Command.run("dpkg-deb", ["-x", deb, target])
        #expect(extract.succeeded, "\(extract.error)")
        try Self.expectGroupsIntact(tree, installedAt: target + tree.installDir)
    }

    @Test func tarExtractsEveryLinkGroupApart() async throws {
        let tree = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.base) }
        let tar = try Self.build(TarPackager(compression: ArchiveCompression(.zstd)), tree)
        let target = tree.base + "/tar"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let extract = try await Command.run("tar", ["-xf", tar, "-C", target])
        #expect(extract.succeeded, "\(extract.error)")
        try Self.expectGroupsIntact(tree, installedAt: target + tree.installDir)
    }
}
