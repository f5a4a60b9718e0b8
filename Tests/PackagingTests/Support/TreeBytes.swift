import Foundation

/// Every file of a directory tree with its bytes, to compare two repositories or one before and after.
enum TreeBytes {
    static func of(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in (FileManager.default.subpaths(atPath: root) ?? []) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
        }
        return files
    }
}
