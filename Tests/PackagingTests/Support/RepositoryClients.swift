import Foundation

/// apt-get pointed at one `file:` repository only, with its lists, cache and sources in a
/// private directory, installing through dpkg into the empty root `dpkgRoot` (its own status
/// file and admin dir), so packages without dependencies install for real without touching the host.
struct AptClient {
    let root: String

    static var available: Bool { Command.which("apt-get") != nil }

    init(repository: String, key: String, suite: String = "stable", component: String = "main") throws {
        root = FileManager.default.temporaryDirectory.path + "/apt-" + UUID().uuidString
        for directory in ["parts", "state/lists/partial", "cache/archives/partial", "root/var/lib/dpkg/info", "root/var/lib/dpkg/updates"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: root + "/root/var/lib/dpkg/status", contents: nil)
        try Data("deb [signed-by=\(key)] file:\(repository) \(suite) \(component)\n".utf8)
            .write(to: URL(fileURLWithPath: root + "/sources.list"))
    }

    func run(_ arguments: [String], directory: String? = nil) async throws -> CommandResult {
        let options = [
            "Dir::Etc::sourcelist=\(root)/sources.list", "Dir::Etc::sourceparts=\(root)/parts",
            "Dir::Etc::trusted=\(root)/none.gpg", "Dir::Etc::trustedparts=\(root)/parts",
            "Dir::Etc::preferencesparts=\(root)/parts", "Dir::State=\(root)/state", "Dir::State::status=\(dpkgRoot)/var/lib/dpkg/status",
            "DPkg::Options::=--root=\(dpkgRoot)", "DPkg::Options::=--admindir=\(dpkgRoot)/var/lib/dpkg",
            "Dir::Cache=\(root)/cache", "Debug::NoLocking=1", "APT::Sandbox::User=root", "Acquire::Languages=none",
        ]
        return try await Command.run("apt-get", options.flatMap { ["-o", $0] } + arguments, directory: directory)
    }

    var dpkgRoot: String { root + "/root" }

    /// The packages `apt-get download` put into `root`.
    var downloaded: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasSuffix(".deb") }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// dnf installing into an empty root from one repository, with package and repository
/// signatures both checked against `key`.
struct DnfClient {
    let root: String

    static var available: Bool { Command.which("dnf") != nil }

    init() throws {
        root = FileManager.default.temporaryDirectory.path + "/dnf-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/repos.d", withIntermediateDirectories: true)
    }

    func install(_ name: String, repository: String, key: String) async throws -> CommandResult {
        try await Command.run("dnf", [
            "--installroot", root + "/root", "--setopt=reposdir=\(root)/repos.d", "--setopt=cachedir=\(root)/cache",
            "--releasever=1", "--repofrompath=r,file://\(repository)", "--repo", "r",
            "--setopt=r.gpgcheck=1", "--setopt=r.repo_gpgcheck=1", "--setopt=r.gpgkey=file://\(key)",
            "--setopt=install_weak_deps=False", "-y", "install", name,
        ])
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
