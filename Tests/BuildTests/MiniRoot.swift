import Foundation

/// A minimal root file system for `rpm --root`: rpm runs scriptlets chrooted into the root, so
/// it needs a shell and the commands the scripts call, with the libraries they load (found
/// with `ldd`, the ground truth here).
enum MiniRoot {
    static func make(at root: String, commands: [String]) async throws {
        let fm = FileManager.default
        for dir in ["bin", "usr/bin", "tmp", "etc", "var/lib/rpm"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        var files = Set<String>()
        for command in commands {
            let path = try await CommandResult.run(["sh", "-c", "command -v \(command)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard path.hasPrefix("/") else { continue }
            files.insert(path)
            let libraries = try await CommandResult.run(["ldd", path]).stdout
            for line in libraries.split(separator: "\n") {
                for word in line.split(whereSeparator: \.isWhitespace) where word.hasPrefix("/") { files.insert(String(word)) }
            }
        }
        for file in files {
            let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            let target = root + file
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !fm.fileExists(atPath: target) { try fm.copyItem(atPath: resolved, toPath: target) }
        }
        // Debian 12 is usr-merged: /lib64 and /lib are links into /usr.
        for link in ["lib", "lib64"] where !fm.fileExists(atPath: root + "/" + link) {
            if fm.fileExists(atPath: root + "/usr/" + link) {
                try fm.createSymbolicLink(atPath: root + "/" + link, withDestinationPath: "usr/" + link)
            }
        }
        if !fm.fileExists(atPath: root + "/bin/sh") {
            try fm.copyItem(atPath: URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath().path, toPath: root + "/bin/sh")
        }
        // Scriptlets redirect to /dev/null, as on every real system.
        try fm.createDirectory(atPath: root + "/dev", withIntermediateDirectories: true)
        if !fm.fileExists(atPath: root + "/dev/null") { mknod(root + "/dev/null", S_IFCHR | 0o666, (1 << 8) | 3) }
        try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\n".write(toFile: root + "/etc/group", atomically: true, encoding: .utf8)
    }
}
