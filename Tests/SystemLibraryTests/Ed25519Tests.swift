import Digest
import Foundation
import Testing

/// Ed25519 through libcrypto: RFC 8032's own test vector, and keys that `openssl` reads and writes.
@Suite struct Ed25519Tests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func rfc8032TestVectorOne() throws {
        let key = try Ed25519PrivateKey(seed: Self.bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(key.publicKey.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = try key.sign([])
        #expect(Digests.hexString(signature) == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.verify(signature: signature, of: []))
        var altered = signature
        altered[10] ^= 1
        #expect(!key.publicKey.verify(signature: altered, of: []))
        #expect(!key.publicKey.verify(signature: signature, of: [0]))
        #expect(!(try Ed25519PrivateKey.generate()).publicKey.verify(signature: signature, of: []))
    }

    @Test func pemKeysAreTheOnesOpenSSLWrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ed25519-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.openssl(["genpkey", "-algorithm", "ed25519", "-out", dir + "/key.pem"])
        try Self.openssl(["pkey", "-in", dir + "/key.pem", "-pubout", "-out", dir + "/pub.pem"])
        let key = try Ed25519PrivateKey(pem: String(contentsOfFile: dir + "/key.pem", encoding: .utf8))
        let publicKey = try Ed25519PublicKey(pem: String(contentsOfFile: dir + "/pub.pem", encoding: .utf8))
        #expect(key.publicKey == publicKey)
        #expect(publicKey.pem == (try String(contentsOfFile: dir + "/pub.pem", encoding: .utf8)))
        #expect(key.pem == (try String(contentsOfFile: dir + "/key.pem", encoding: .utf8)))
        #expect(throws: SigningError.self) { try Ed25519PrivateKey(pem: publicKey.pem) }
        #expect(throws: SigningError.self) { try Ed25519PublicKey(hex: String(publicKey.hex.dropLast())) }
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
    }
}
