/// The rule both dpkg and rpm accept for a package name, so one name works in every format.
package enum PackageName {
    package static func isValid(_ name: String) -> Bool {
        guard name.count >= 2, let first = name.unicodeScalars.first, isLowerAlnum(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlnum($0) || "+-.".unicodeScalars.contains($0) }
    }

    package static let rule = "use lowercase letters, digits, '+', '-' and '.', starting with a letter or digit, at least two characters"

    private static func isLowerAlnum(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
