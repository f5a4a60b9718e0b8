import Foundation
import Synchronization

/// Reads the version requirements of every ELF file of an install dir for `BaseSystemNeeds`.
package enum BaseSystemScan {
    /// - Parameter files: regular files relative to `root`.
    /// - Returns: the needs, and the files whose version tables could not be read (relative
    ///   path, the error naming the file and the structure); those files add nothing to the needs.
    static func scan(root: String, files: [String]) -> (needs: BaseSystemNeeds, errors: [(String, ELFError)]) {
        let results = Mutex<[Result<VersionNeeds?, ELFError>?]>(Array(repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let path = root == "/" ? "/" + files[index] : root + "/" + files[index]
            let result: Result<VersionNeeds?, ELFError>
            do throws(ELFError) { result = .success(try VersionNeeds.read(path: path)) } catch { result = .failure(error) }
            results.withLock { $0[index] = result }
        }
        var read: [(path: String, needs: VersionNeeds, executable: Bool)] = []
        var errors: [(String, ELFError)] = []
        for (index, result) in results.withLock({ $0 }).enumerated() {
            let file = files[index]
            switch result {
            case .success(let needs?):
                read.append((file, needs, isExecutable(root == "/" ? "/" + file : root + "/" + file)))
            case .failure(let error): errors.append((file, error))
            case .success(nil), nil: continue
            }
        }
        return (BaseSystemNeeds(files: read), errors)
    }

    /// A packaged regular file: its path in the package, where its bytes are, and whether the
    /// package gives it an execute bit.
    package struct PackagedFile: Sendable {
        package let path: String
        package let source: String
        package let executable: Bool

        package init(path: String, source: String, executable: Bool) {
            self.path = path
            self.source = source
            self.executable = executable
        }
    }

    /// The needs of the files a package carries; `links` are the names its symlinks add (a
    /// library needed as `libfoo.so.1` may be a symlink to `libfoo.so.1.2.3`). Throws the first
    /// file that cannot be read, so a package never gets dependencies derived from part of it.
    package static func needs(of files: [PackagedFile], links: [String] = []) throws(ELFError) -> BaseSystemNeeds {
        var read: [(path: String, needs: VersionNeeds, executable: Bool)] = []
        for file in files {
            guard let needs = try VersionNeeds.read(path: file.source) else { continue }
            read.append((file.path, needs, file.executable))
        }
        return BaseSystemNeeds(files: read, ownNames: links)
    }

    private static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & 0o111) != 0
    }
}
