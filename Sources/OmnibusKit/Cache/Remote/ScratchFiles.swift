import Foundation

/// Removal of the remote cache's scratch files and directories, whatever modes a restored tree
/// gave them: a directory without write permission cannot be emptied until it gets it back.
enum ScratchFiles {
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                remove(path + "/" + name)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
