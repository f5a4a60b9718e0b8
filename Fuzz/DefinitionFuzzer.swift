// libFuzzer entry point for the definition reader; built by scripts/libfuzzer, not by SwiftPM.
// docs/fuzzing.md says how to run it.
import Definitions
import Foundation

private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("omnibus-libfuzzer-yaml-\(getpid())").path
private let kinds = DefinitionKinds(steps: [], sources: [], formats: [])

/// Every input must end in a value or a `DefinitionError` (typed, so the compiler checks that);
/// libFuzzer reports a crash, a timeout (`-timeout`) or a memory blow-up (`-rss_limit_mb`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDefinition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? YAMLParser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yml")
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    let path = scratch + "/fuzz.yml"
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { return 0 }
    _ = try? SoftwareLoader.load(path: path, displayPath: "Software/fuzz.yml", kinds: kinds)
    _ = try? ProjectLoader.load(path: path, displayPath: "Projects/fuzz.yml", kinds: kinds)
    return 0
}
