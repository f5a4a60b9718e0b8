/// One build step. The structured steps exist so definitions say what they mean and the tool can
/// pin the details (prefix, parallelism, DESTDIR); `run` is the escape hatch.
package enum BuildStep: Sendable, Equatable {
    /// A shell command run with `/bin/sh -c` in the build directory.
    case run(String)
    /// `<script> [--prefix={{embedded}}] args...`; script defaults to `./configure`.
    case configure(script: String, args: [String], prefix: Bool)
    /// `make -j{{jobs}} args...` (`parallel: false` drops the `-j`).
    case make(args: [String], parallel: Bool)
    /// `patch -p<strip>` with a patch file kept beside the definition.
    case patch(file: String, strip: Int)
    case copy(from: String, to: String)
    /// A symbolic link at `path` pointing to `target`.
    case link(target: String, path: String)
    case mkdir(String)
    case delete(String)
    /// Renders a file beside the definition with the build variables into `dest`.
    case template(source: String, dest: String, mode: UInt32?)

    package var kindName: String {
        switch self {
        case .run: "run"
        case .configure: "configure"
        case .make: "make"
        case .patch: "patch"
        case .copy: "copy"
        case .link: "link"
        case .mkdir: "mkdir"
        case .delete: "delete"
        case .template: "template"
        }
    }

    package static let kindNames = ["run", "configure", "make", "patch", "copy", "link", "mkdir", "delete", "template"]

    /// Every string of the step that may contain `{{variables}}`.
    package var interpolatedStrings: [String] {
        switch self {
        case .run(let command): [command]
        case .configure(let script, let args, _): [script] + args
        case .make(let args, _): args
        case .patch(let file, _): [file]
        case .copy(let from, let to): [from, to]
        case .link(let target, let path): [target, path]
        case .mkdir(let path), .delete(let path): [path]
        case .template(let source, let dest, _): [source, dest]
        }
    }
}
