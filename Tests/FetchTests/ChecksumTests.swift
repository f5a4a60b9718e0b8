import Digest
import Testing
@testable import Fetch

struct ChecksumTests {
    @Test func acceptsSha256AndSha512InEitherCase() throws {
        let upper = try Checksum(.sha256, String(repeating: "AB", count: 32))
        #expect(upper.hex == String(repeating: "ab", count: 32))
        #expect(upper.description == "sha256:" + String(repeating: "ab", count: 32))
        #expect(try Checksum(.sha512, String(repeating: "0", count: 128)).algorithm == .sha512)
    }

    @Test func refusesWrongLengthsDigitsAndMD5() {
        let short = #expect(throws: Checksum.Invalid.self) { try Checksum(.sha256, "abc") }
        #expect(short?.description.contains("expected 64 hex digits") == true)
        #expect(throws: Checksum.Invalid.self) { try Checksum(.sha256, String(repeating: "g", count: 64)) }
        #expect(throws: Checksum.Invalid.self) { try Checksum(.sha512, String(repeating: "a", count: 64)) }
        let md5 = #expect(throws: Checksum.Invalid.self) { try Checksum(.md5, String(repeating: "a", count: 32)) }
        #expect(md5?.description.contains("use sha256 or sha512") == true)
    }

    @Test func retryDelaysDoubleUpToTheCap() {
        let policy = RetryPolicy(attempts: 5, initialDelay: 1, maximumDelay: 3)
        #expect([1, 2, 3, 4].map(policy.delay(after:)) == [1, 2, 3, 3])
        #expect(RetryPolicy(attempts: 0).attempts == 1)
    }
}
