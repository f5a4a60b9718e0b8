import Digest
import Foundation

/// The record at `/ac/<key>`: which blob holds the layer built under `key`, signed. The signature
/// covers the canonical JSON of every other field, the key included, so a record cannot be
/// moved to another key, pointed at another blob, or relabelled without the signer's key.
///
/// ```json
/// {"blob":{"sha256":"…","size":1234},"format":"omnibus-layer-v1","key":"…","signature":"<base64>",
///  "signer":"<key id>","software":"zlib","version":"1.3.1"}
/// ```
struct LayerActionRecord: Sendable, Equatable {
    /// Changes whenever the blob layout or the signed fields change, so an older reader refuses
    /// a newer record instead of misreading it.
    static let format = "omnibus-layer-v1"
    /// Records are a few hundred bytes; anything much larger is not one.
    static let maximumSize: Int64 = 64 << 10

    let key: String
    let software: String
    let version: String
    let blobSHA256: String
    let blobSize: Int64
    /// `Ed25519PublicKey.keyID` of the key that signed.
    let signer: String
    let signature: [UInt8]

    static func signed(key: String, software: String, version: String, blobSHA256: String, blobSize: Int64,
                       with privateKey: Ed25519PrivateKey) throws(SigningError) -> LayerActionRecord {
        let unsigned = LayerActionRecord(key: key, software: software, version: version, blobSHA256: blobSHA256,
                                         blobSize: blobSize, signer: privateKey.publicKey.keyID, signature: [])
        let signature = try privateKey.sign(unsigned.signedBytes)
        return LayerActionRecord(key: key, software: software, version: version, blobSHA256: blobSHA256,
                                 blobSize: blobSize, signer: unsigned.signer, signature: signature)
    }

    /// What the signature covers: the canonical JSON of every field but the signature.
    var signedBytes: [UInt8] { CanonicalJSON.object(fields).bytes }

    /// The record as stored on the server.
    var bytes: [UInt8] {
        var all = fields
        all["signature"] = .string(Data(signature).base64EncodedString())
        return CanonicalJSON.object(all).bytes + [0x0a]
    }

    private var fields: [String: CanonicalJSON] {
        ["blob": .object(["sha256": .string(blobSHA256), "size": .integer(blobSize)]),
         "format": .string(Self.format), "key": .string(key), "signer": .string(signer),
         "software": .string(software), "version": .string(version)]
    }

    /// Reads a record's fields; nothing about it is trusted until `verify` says so.
    static func decode(_ data: Data, url: String) throws(RemoteStop) -> LayerActionRecord {
        struct Format: Decodable { let format: String? }
        struct Wire: Decodable {
            struct Blob: Decodable {
                let sha256: String
                let size: Int64
            }
            let blob: Blob
            let key, signature, signer, software, version: String
        }
        guard let format = try? JSONDecoder().decode(Format.self, from: data) else {
            throw .rejected(.malformedRecord(url: url, reason: "not a JSON object"))
        }
        guard format.format == Self.format else {
            throw .rejected(.malformedRecord(url: url, reason: format.format.map { "format '\($0)', this omnibus reads '\(Self.format)'" }
                                   ?? "no 'format' field"))
        }
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: data) } catch {
            throw .rejected(.malformedRecord(url: url, reason: Self.explain(error)))
        }
        guard let signature = Data(base64Encoded: wire.signature), signature.count == 64 else {
            throw .rejected(.malformedRecord(url: url, reason: "the signature is not 64 bytes of base64"))
        }
        guard wire.blob.sha256.utf8.count == 64, wire.blob.sha256.utf8.allSatisfy(Self.isLowerHex), wire.blob.size >= 0 else {
            throw .rejected(.malformedRecord(url: url, reason: "the blob digest or size is not valid"))
        }
        return LayerActionRecord(key: wire.key, software: wire.software, version: wire.version,
                                 blobSHA256: wire.blob.sha256, blobSize: wire.blob.size,
                                 signer: wire.signer, signature: [UInt8](signature))
    }

    /// Nil when a trusted key signed exactly these fields for `expectedKey`.
    func verify(trusting keys: [Ed25519PublicKey], expectedKey: String) -> RemoteRejection? {
        let candidates = keys.filter { $0.keyID == signer }
        if candidates.isEmpty { return .unknownSigner(keyID: signer) }
        guard candidates.contains(where: { $0.verify(signature: signature, of: signedBytes) }) else {
            return .badSignature(keyID: signer)
        }
        guard key == expectedKey else {
            return .recordMismatch("the record at /ac/\(expectedKey) is signed for key \(key): it was copied to the wrong place")
        }
        return nil
    }

    static func isLowerHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }

    private static func explain(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "no '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))' field"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        default:
            return "not valid JSON"
        }
    }
}
