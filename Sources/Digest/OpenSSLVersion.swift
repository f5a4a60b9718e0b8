import COpenSSL

package enum OpenSSLVersion {
    /// The version of the libcrypto actually loaded at run time, e.g. "OpenSSL 3.0.19 ...".
    package static var runtime: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
