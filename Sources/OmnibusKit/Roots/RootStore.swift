import Foundation
import Spawning

/// Clean roots as cached tarballs (`<cache>/roots/<platform>-<arch>-<key>.tar`, made once with
/// mmdebstrap, or debootstrap where it is missing) and their extracted copies in the work dir.
/// A tarball is never changed once written: a different spec is a different file, and
/// `omnibus cache clean` or deleting the file is how a root is refreshed.
package struct RootStore: Sendable {
    package let cacheDir: String
    /// Where roots are extracted: `<work>/roots`.
    package let workDir: String
    /// Receives progress lines ("making the debian-12 root ...").
    package let note: @Sendable (String) -> Void

    package init(cacheDir: String, workDir: String, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.cacheDir = cacheDir
        self.workDir = workDir
        self.note = note
    }

    package var rootsCacheDir: String { cacheDir + "/roots" }

    package func tarballPath(_ spec: CleanRootSpec) -> String { rootsCacheDir + "/" + spec.tarballName }

    /// The tarball for the spec, made now when the cache lacks it.
    package func tarball(for spec: CleanRootSpec) async throws(RootError) -> String {
        let path = tarballPath(spec)
        if FileManager.default.fileExists(atPath: path) { return path }
        try makeDirectory(rootsCacheDir)
        // Written beside its final name and renamed, so a killed run never leaves a partial root.
        let partial = path + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        var finished = false
        defer { if !finished { try? FileManager.default.removeItem(atPath: partial) } }
        note("making the \(spec.platform.name) root (\(spec.platform.suite), \(spec.architecture)) from \(spec.archiveURI): minbase\(spec.packages.isEmpty ? "" : " + " + spec.packages.joined(separator: " "))")
        if let mmdebstrap = ChildProcess.which("mmdebstrap", in: Self.path) {
            // The format is named: mmdebstrap guesses it from the extension, which `.partial-<pid>` hides.
            try await run([mmdebstrap, "--variant=minbase", "--mode=root", "--format=tar", "--architectures=\(spec.architecture)"]
                          + (spec.packages.isEmpty ? [] : ["--include=\(spec.packages.joined(separator: ","))"])
                          + [spec.platform.suite, partial, spec.archiveURI], spec: spec)
        } else if let debootstrap = ChildProcess.which("debootstrap", in: Self.path) {
            let tree = partial + ".d"
            defer { try? FileManager.default.removeItem(atPath: tree) }
            try await run([debootstrap, "--variant=minbase", "--arch=\(spec.architecture)"]
                          + (spec.packages.isEmpty ? [] : ["--include=\(spec.packages.joined(separator: ","))"])
                          + [spec.platform.suite, tree, spec.archiveURI], spec: spec)
            try await run(["tar", "--numeric-owner", "-C", tree, "-cf", partial, "."], spec: spec)
        } else {
            throw .noBootstrapTool
        }
        guard rename(partial, path) == 0 else {
            throw .io("cannot move the finished root to \(path): \(String(cString: strerror(errno)))")
        }
        finished = true
        return path
    }

    /// The root extracted at `<work>/roots/<name>`, reused when that copy came from the same
    /// tarball (its key is recorded beside it, not inside the root).
    /// - Parameter fresh: extract again even when a matching copy exists (a root something was
    ///   installed into is no longer clean).
    package func extracted(_ spec: CleanRootSpec, name: String? = nil, fresh: Bool = false) async throws(RootError) -> String {
        let tarball = try await tarball(for: spec)
        let dir = workDir + "/" + (name ?? spec.platform.name)
        let marker = dir + ".key"
        if !fresh, (try? String(contentsOfFile: marker, encoding: .utf8)) == spec.key, FileManager.default.fileExists(atPath: dir + "/usr/bin") {
            return dir
        }
        try? FileManager.default.removeItem(atPath: marker)
        try? FileManager.default.removeItem(atPath: dir)
        try makeDirectory(dir)
        try await run(["tar", "--numeric-owner", "-xpf", tarball, "-C", dir], spec: spec)
        do { try spec.key.write(toFile: marker, atomically: true, encoding: .utf8) } catch {
            throw .io("cannot record the root's key in \(marker): \(error.localizedDescription)")
        }
        return dir
    }

    package static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    private func run(_ arguments: [String], spec: CleanRootSpec) async throws(RootError) {
        let output = OutputTail()
        let status: Int32
        do {
            status = try await ChildProcess(arguments, environment: ["PATH": Self.path, "LC_ALL": "C", "HOME": "/root"])
                .run { data in output.append(data) }
        } catch {
            if case .cancelled = error { throw .cancelled }
            throw .io("cannot run \(arguments[0]): \(error)")
        }
        guard status == 0 else {
            throw .bootstrapFailed(platform: spec.platform.name, command: ChildProcess.shellQuoted(arguments), status: status,
                                   lastLines: output.lastLines)
        }
    }

    private func makeDirectory(_ dir: String) throws(RootError) {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(dir): \(error.localizedDescription)")
        }
    }
}
