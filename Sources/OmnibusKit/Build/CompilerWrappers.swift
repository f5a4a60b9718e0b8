import Foundation
import Spawning

/// The compilers a build step finds on its PATH, each a two-line `sh` script that runs the real
/// one with `-ffile-prefix-map=<build dir>=.`. The map strips the build dir from debug info and
/// `__FILE__` as before, but it no longer travels in CFLAGS: configure scripts record CFLAGS in
/// the files they install (curl-config, Python's sysconfigdata and Makefile, OpenSSL's
/// "compiler:" string), and a build dir recorded there made two work dirs give two packages.
/// The scripts record the compiler's name as before (`gcc`), since they shadow it by name.
enum CompilerWrappers {
    /// Names wrapped when the tool path has them; a triplet prefix or a version suffix
    /// (`x86_64-linux-gnu-gcc-12`) is wrapped too.
    static let drivers = ["gcc", "g++", "clang", "clang++"]
    static let plainNames: Set<String> = ["cc", "c++", "cpp"]

    /// Whether `name` is a C/C++ compiler driver the build may call.
    static func isCompiler(_ name: String) -> Bool {
        if plainNames.contains(name) { return true }
        var base = Substring(name)
        // A version suffix: gcc-12, clang++-16.
        if let dash = base.lastIndex(of: "-"), base[base.index(after: dash)...].first?.isNumber == true,
           base[base.index(after: dash)...].allSatisfy({ $0.isNumber || $0 == "." }) {
            base = base[..<dash]
        }
        return drivers.contains { driver in base == driver || base.hasSuffix("-" + driver) }
    }

    /// Writes a wrapper in `directory` (made fresh) for every compiler on `toolPath`, the first
    /// of each name as PATH lookup would find it. Returns the directory.
    /// - Parameter launcher: a program the wrappers run the compiler through (ccache). It is
    ///   given the real compiler's path: ccache's masquerade links would look the compiler up on
    ///   PATH again, find these wrappers first, and loop.
    /// - Parameter systemRoot: the clean root the steps run in (`--platform`): its compilers
    ///   are wrapped, by the paths they have inside it, rather than the host's.
    static func install(in directory: String, buildDir: String, toolPath: String,
                        launcher: String? = nil, systemRoot: String? = nil) throws(BuildFailure.Reason) -> String {
        let fm = FileManager.default
        var written = Set<String>()
        do {
            if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for toolDirectory in toolPath.split(separator: ":").map(String.init) {
                let seen = (systemRoot ?? "") + toolDirectory
                let names = ((try? fm.contentsOfDirectory(atPath: seen)) ?? []).sorted()
                for name in names where isCompiler(name) && !written.contains(name) {
                    let real = toolDirectory + "/" + name
                    // A root's links are absolute within the root (cc -> /etc/alternatives/cc), so
                    // they are judged there, when the wrapper runs, not followed on the host.
                    if systemRoot == nil {
                        guard fm.isExecutableFile(atPath: real) else { continue }
                    } else {
                        guard (try? fm.attributesOfItem(atPath: seen + "/" + name)) != nil else { continue }
                    }
                    let command = ChildProcess.shellQuoted((launcher.map { [$0] } ?? []) + [real])
                    let script = "#!/bin/sh\nexec \(command) \(ChildProcess.shellQuoted(["-ffile-prefix-map=\(buildDir)=."])) \"$@\"\n"
                    let path = directory + "/" + name
                    guard fm.createFile(atPath: path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755]) else {
                        throw BuildFailure.Reason.io("cannot write the compiler wrapper \(path)")
                    }
                    written.insert(name)
                }
            }
        } catch let reason as BuildFailure.Reason {
            throw reason
        } catch {
            throw .io("cannot prepare the compiler wrappers in \(directory): \(error.localizedDescription)")
        }
        return directory
    }
}
