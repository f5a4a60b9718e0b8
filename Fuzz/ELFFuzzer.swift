// libFuzzer entry point for the ELF reader and the library resolver; built by scripts/libfuzzer,
// not by SwiftPM. docs/fuzzing.md says how to run it.
import Foundation
import Linkage

private let path = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-libfuzzer-elf-\(getpid())").path
private let resolver = LibraryResolver()

/// Every input must end in a result or an `ELFError` (typed, so the compiler checks that);
/// libFuzzer reports a crash, a timeout (`-timeout`) or a memory blow-up (`-rss_limit_mb`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    _ = try? ELFFile.read(path: path)
    _ = try? resolver.linkMap(forFileAt: path)
    _ = try? VersionNeeds.read(path: path)
    return 0
}
