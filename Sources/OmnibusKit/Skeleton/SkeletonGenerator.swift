import Definitions
import Foundation

/// `omnibus new`: writes a packaging repository that builds and packages on the first try and
/// shows, by example, how each part is written.
package struct SkeletonGenerator {
    package let name: String

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package init(name: String) throws(Failure) {
        guard PackageName.isValid(name) else {
            throw Failure(description: "'\(name)' is not a valid package name: \(PackageName.rule)")
        }
        self.name = name
    }

    /// Every file of the skeleton: path relative to the repository, content, and whether it is executable.
    package var files: [(path: String, content: String, executable: Bool)] {
        let templates = SkeletonTemplates(name: name)
        return [
            ("README.md", templates.readme, false),
            (".gitignore", templates.gitignore, false),
            (".github/workflows/package.yml", templates.workflow, false),
            ("Projects/\(name).yml", templates.project, false),
            ("Software/hello.yml", templates.software, false),
            ("src/hello/hello.c", templates.helloSource, false),
            ("src/hello/Makefile", templates.helloMakefile, false),
            ("src/hello/LICENSE", templates.helloLicense, false),
            ("PackageScripts/\(name)/postinst", templates.postinst, true),
        ]
    }

    /// Writes the skeleton into `directory`, which must not exist or be empty unless `force`;
    /// nothing outside it is touched. Returns the paths written.
    @discardableResult
    package func write(to directory: String, force: Bool) throws(Failure) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure(description: "\(directory) exists and is not a directory") }
            let contents = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
            if !contents.isEmpty && !force {
                throw Failure(description: "\(directory) already exists and is not empty; choose another --path, or pass --force to overwrite the skeleton's files in it")
            }
        }
        var written: [String] = []
        for file in files {
            let path = directory + "/" + file.path
            do {
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: path))
                chmod(path, file.executable ? 0o755 : 0o644)
            } catch {
                throw Failure(description: "cannot write \(path): \(error.localizedDescription)")
            }
            written.append(file.path)
        }
        return written
    }
}
