/// How a project's version and iteration become each format's version fields. Both dpkg and rpm
/// reject some characters, so they are mapped, the same way for every format:
/// - a leading `v` before a digit is dropped (`v1.2` -> `1.2`);
/// - `-` becomes `~`, so `1.2.0-rc1` sorts before `1.2.0` as in semantic versioning (this also
///   makes a `git describe` suffix such as `1.2.0-3-gabc` sort before `1.2.0`: tag releases);
/// - any other character outside the format's set becomes `.` (no epochs: `:` is mapped too).
enum VersionNames {
    static func debianUpstream(_ version: String) -> String {
        map(stripV(version), allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+~")
    }

    static func debianRevision(_ iteration: String) -> String {
        map(iteration, allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+~")
    }

    static func rpm(_ version: String) -> String {
        map(stripV(version), allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+~^")
    }

    static func rpmRelease(_ iteration: String) -> String {
        map(iteration, allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+~^")
    }

    /// The problem with an iteration no mapping can fix, if any (a version's are
    /// `PackageFieldRules.versionProblem`, shared with `validate`).
    static func iterationProblem(_ iteration: String) -> String? {
        if iteration.isEmpty { return "the iteration is empty" }
        if !iteration.unicodeScalars.contains(where: { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) {
            return "iteration '\(iteration)' needs at least one letter or digit"
        }
        return nil
    }

    private static func stripV(_ version: String) -> String {
        let scalars = Array(version.unicodeScalars)
        if scalars.count > 1, scalars[0] == "v" || scalars[0] == "V", ("0"..."9").contains(scalars[1]) {
            return String(version.dropFirst())
        }
        return version
    }

    private static func map(_ text: String, allowed: String) -> String {
        let allowed = Set(allowed.unicodeScalars)
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if allowed.contains(scalar) {
                out.append(scalar)
            } else if scalar == "-" {
                out.append("~")
            } else {
                out.append(".")
            }
        }
        return String(out)
    }
}

extension PackageInfo {
    /// `version-iteration` as dpkg accepts it.
    package var debianVersion: String {
        VersionNames.debianUpstream(version) + "-" + VersionNames.debianRevision(iteration)
    }

    /// rpm's Version tag.
    package var rpmVersion: String { VersionNames.rpm(version) }

    /// rpm's Release tag.
    package var rpmRelease: String { VersionNames.rpmRelease(iteration) }
}
