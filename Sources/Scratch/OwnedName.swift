#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names of temporaries that carry their writer: `<prefix><pid>-<host>-<random><suffix>`.
///
/// A temporary is normally removed by the process that made it; one left by a crash or `kill -9`
/// can only be told from one being written right now by asking whether its process still runs.
/// A pid means something only on one machine and in one pid namespace, so `host` (a hash of
/// both) keeps a sweep away from the temporaries of a cache shared with another container or host.
package enum OwnedName {
    /// `<prefix><pid>-<host>-`: the start of every name this process makes. `mkdtemp` templates
    /// append their `XXXXXX` to it.
    package static func stamp(_ prefix: String = "") -> String {
        stamp(prefix, pid: getpid())
    }

    /// The stamp a process with another pid on this machine would use; tests name temporaries
    /// of processes that are gone with it.
    package static func stamp(_ prefix: String, pid: pid_t) -> String {
        "\(prefix)\(pid)-\(host)-"
    }

    /// A name no other writer uses, for this process.
    package static func make(prefix: String = "", suffix: String = "") -> String {
        stamp(prefix) + String(UInt64.random(in: 0...UInt64.max), radix: 36) + suffix
    }

    /// Who wrote a temporary, as far as its name tells.
    package enum Writer: Sendable, Equatable {
        /// A process on this machine, in this pid namespace: whether it runs can be asked.
        case process(pid_t)
        /// Another machine or pid namespace, where this pid means nothing.
        case elsewhere
    }

    /// The writer of `name`; nil for a name `OwnedName` did not make with this prefix.
    package static func writer(of name: String, prefix: String = "") -> Writer? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let pid = pid_t(parts[0]), pid > 0,
              parts[1].count == 8, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return parts[1] == host ? .process(pid) : .elsewhere
    }

    /// Eight hex digits of a hash of the host name and the pid namespace.
    static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        let hostName = gethostname(&name, name.count - 1) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        var link = [CChar](repeating: 0, count: 128)
        let length = readlink("/proc/self/ns/pid", &link, link.count)
        let namespace = length > 0
            ? String(decoding: link.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        // FNV-1a: stable across runs and versions, unlike Hasher.
        var hash: UInt32 = 2_166_136_261
        for byte in (hostName + "\0" + namespace).utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }()
}
