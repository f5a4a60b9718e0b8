import Foundation

// The PEM forms OpenSSL itself uses, so keys move between the tool and
// `openssl genpkey -algorithm ed25519` / `openssl pkey -pubout` in both directions. For Ed25519
// both DER structures have a fixed layout (RFC 8410): a constant prefix followed by the 32 key
// bytes, so matching the prefix is the whole parse.

extension Ed25519PrivateKey {
    /// PKCS#8 `PrivateKeyInfo` without the optional public key, as `openssl genpkey` writes it.
    private static let derPrefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                             0x04, 0x22, 0x04, 0x20]

    /// Reads `-----BEGIN PRIVATE KEY-----` text holding an Ed25519 key.
    package init(pem text: String) throws(SigningError) {
        let der = try PEMBlock.decode(text, label: "PRIVATE KEY",
                                      expected: "an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)")
        guard der.count == Self.derPrefix.count + 32, Array(der.prefix(Self.derPrefix.count)) == Self.derPrefix else {
            throw .invalidKey("the PEM private key is not an Ed25519 key (openssl genpkey -algorithm ed25519 makes one)")
        }
        try self.init(seed: Array(der.suffix(32)))
    }

    package var pem: String { PEMBlock.encode(Self.derPrefix + seedBytes, label: "PRIVATE KEY") }
}

extension Ed25519PublicKey {
    /// X.509 `SubjectPublicKeyInfo`, as `openssl pkey -pubout` writes it.
    private static let derPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// Reads `-----BEGIN PUBLIC KEY-----` text holding an Ed25519 key.
    package init(pem text: String) throws(SigningError) {
        let der = try PEMBlock.decode(text, label: "PUBLIC KEY",
                                      expected: "an Ed25519 public key in PEM (openssl pkey -pubout)")
        guard der.count == Self.derPrefix.count + Self.byteCount, Array(der.prefix(Self.derPrefix.count)) == Self.derPrefix else {
            throw .invalidKey("the PEM public key is not an Ed25519 key")
        }
        try self.init(raw: Array(der.suffix(Self.byteCount)))
    }

    /// Reads 64 hex digits (upper or lower case), the form `omnibus cache keygen` prints.
    package init(hex text: String) throws(SigningError) {
        let digits = Array(text.lowercased().utf8)
        guard digits.count == Self.byteCount * 2 else {
            throw .invalidKey("an Ed25519 public key in hex is \(Self.byteCount * 2) hex digits, not \(digits.count)")
        }
        var raw: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw .invalidKey("'\(text)' is not hex (0-9, a-f)")
            }
            raw.append(high << 4 | low)
        }
        try self.init(raw: raw)
    }

    package var pem: String { PEMBlock.encode(Self.derPrefix + raw, label: "PUBLIC KEY") }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        default: nil
        }
    }
}

private enum PEMBlock {
    static func decode(_ text: String, label: String, expected: String) throws(SigningError) -> [UInt8] {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
            throw .invalidKey("expected \(expected), found no '\(begin)' ... '\(end)' block")
        }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else {
            throw .invalidKey("the '\(label)' PEM block is not valid base64")
        }
        return [UInt8](data)
    }

    static func encode(_ der: [UInt8], label: String) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }
}
