import Foundation
import Testing
@testable import Linkage

/// The reader against `readelf` on real files of every class and byte order.
@Suite struct ELFReaderTests {
    /// What readelf says about one file, in the reader's terms.
    struct ReadelfView: Equatable, CustomStringConvertible {
        var elfClass: ELFTarget.Class?
        var endianness: ELFTarget.Endianness?
        var machine: String = ""
        var type: String = ""
        var interpreter: String?
        var needed: [String] = []
        var soname: String?
        var rpath: String?
        var runpath: String?
        var nodeflib = false
        var description: String {
            "\(String(describing: elfClass)) \(String(describing: endianness)) \(machine) \(type) interp=\(interpreter ?? "-") needed=\(needed) soname=\(soname ?? "-") rpath=\(rpath ?? "-") runpath=\(runpath ?? "-") nodeflib=\(nodeflib)"
        }

        init(readelf text: Substring) {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                func bracketed() -> String? {
                    guard let open = trimmed.firstIndex(of: "["), let close = trimmed.lastIndex(of: "]") else { return nil }
                    return String(trimmed[trimmed.index(after: open)..<close])
                }
                if trimmed.hasPrefix("Class:") { elfClass = trimmed.hasSuffix("ELF64") ? .elf64 : .elf32 }
                else if trimmed.hasPrefix("Data:") { endianness = trimmed.contains("big endian") ? .big : .little }
                else if trimmed.hasPrefix("Machine:") { machine = String(trimmed.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
                else if trimmed.hasPrefix("Type:") { type = String(trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces).prefix { $0 != " " }) }
                else if trimmed.hasPrefix("[Requesting program interpreter:") { interpreter = String(trimmed.dropFirst(33).dropLast()) }
                else if trimmed.contains("(NEEDED)"), let value = bracketed() { needed.append(value) }
                else if trimmed.contains("(SONAME)") { soname = bracketed() }
                else if trimmed.contains("(RPATH)") { rpath = bracketed() }
                else if trimmed.contains("(RUNPATH)") { runpath = bracketed() }
                else if trimmed.contains("(FLAGS_1)") { nodeflib = trimmed.contains("NODEFLIB") }
            }
        }

        init(_ file: ELFFile) {
            elfClass = file.target.elfClass
            endianness = file.target.endianness
            machine = Self.readelfMachineNames[file.target.machine] ?? "machine \(file.target.machine)"
            switch file.type {
            case .relocatable: type = "REL"
            case .executable: type = "EXEC"
            case .sharedObject: type = "DYN"
            case .core: type = "CORE"
            case .other(let raw): type = "\(raw)"
            }
            interpreter = file.interpreter
            needed = file.needed
            soname = file.soname
            rpath = file.rpath
            runpath = file.runpath
            nodeflib = file.flags1 & ELFFile.nodeflib != 0
        }

        static let readelfMachineNames: [UInt16: String] = [
            62: "Advanced Micro Devices X86-64", 3: "Intel 80386", 183: "AArch64", 21: "PowerPC64",
            20: "PowerPC", 22: "IBM S/390", 40: "ARM", 243: "RISC-V",
        ]
    }

    /// readelf's view of each file, in batches so a few processes cover thousands of files.
    static func readelf(_ files: [String]) throws -> [String: ReadelfView] {
        let readelf = try #require(Tools.find("readelf"))
        var views: [String: ReadelfView] = [:]
        for start in stride(from: 0, to: files.count, by: 200) {
            let batch = Array(files[start..<min(start + 200, files.count)])
            let output = try Tools.run(readelf, ["-h", "-l", "-d", "-W"] + batch).output
            if batch.count == 1 {
                views[batch[0]] = ReadelfView(readelf: Substring(output))
                continue
            }
            for block in output.components(separatedBy: "\nFile: ").enumerated() {
                let text = block.offset == 0 ? String(block.element.dropFirst("File: ".count)) : block.element
                guard let newline = text.firstIndex(of: "\n") else { continue }
                views[String(text[..<newline])] = ReadelfView(readelf: text[newline...])
            }
        }
        return views
    }

    @Test func systemFilesReadAsReadelfReadsThem() throws {
        let files = LddGroundTruthTests.systemELFFiles()
        let expected = try Self.readelf(files)
        var mismatches: [String] = []
        for file in files {
            let ours = ReadelfView(try ELFFile.read(path: file))
            if expected[file] != ours { mismatches.append("\(file):\n  readelf \(expected[file]?.description ?? "nothing")\n  ours    \(ours)") }
        }
        #expect(files.count > 100)
        // Guard against a readelf parse that sees nothing (and so agrees with anything).
        #expect(expected.values.filter { !$0.needed.isEmpty }.count > files.count / 2)
        #expect(expected.values.contains { $0.interpreter != nil && $0.soname == nil })
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(files.count) differ:\n\(mismatches.prefix(10).joined(separator: "\n"))")
    }

    /// Targets clang can produce here, covering both classes and both byte orders.
    static let crossTargets = ["i386-linux-gnu", "powerpc-linux-gnu", "powerpc64-linux-gnu", "aarch64-linux-gnu", "s390x-linux-gnu"]

    @Test(arguments: crossTargets)
    func foreignClassesAndByteOrdersReadAsReadelfReadsThem(triple: String) throws {
        guard let clang = Tools.find("clang"), Tools.find("ld.lld") != nil else {
            Issue.record("clang and ld.lld are needed to build foreign-target fixtures")
            return
        }
        let scratch = try TemporaryDirectory()
        let common = ["--target=\(triple)", "-fuse-ld=lld", "-nostdlib", "-fPIC"]
        let dep = scratch.path + "/lib/libdep.so.2"
        let top = scratch.path + "/lib/libtop.so.1"
        let program = scratch.path + "/bin/prog"
        let depSource = try scratch.write("dep.c", "int dep(void) { return 2; }\n")
        let topSource = try scratch.write("top.c", "int dep(void);\nint top(void) { return dep(); }\n")
        let mainSource = try scratch.write("main.c", "int top(void);\nvoid _start(void) { top(); }\n")
        try FileManager.default.createDirectory(atPath: scratch.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/lib", withIntermediateDirectories: true)
        try Tools.succeed(clang, common + ["-shared", "-Wl,-soname,libdep.so.2", depSource, "-o", dep])
        try Tools.succeed(clang, common + ["-shared", "-Wl,-soname,libtop.so.1", "-Wl,--disable-new-dtags,-rpath,/opt/x/$LIB:$ORIGIN",
                                           "-Wl,-z,nodefaultlib", topSource, dep, "-o", top])
        try Tools.succeed(clang, common + ["-Wl,--dynamic-linker=/lib/ld-\(triple).so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib",
                                           mainSource, top, dep, "-o", program])
        let expected = try Self.readelf([dep, top, program])
        for file in [dep, top, program] {
            let parsed = try ELFFile.read(path: file)
            #expect(ReadelfView(parsed) == expected[file], "\(file)")
        }
        let program64 = try ELFFile.read(path: program)
        #expect(program64.needed == ["libtop.so.1", "libdep.so.2"])
        #expect(program64.interpreter == "/lib/ld-\(triple).so.1")
        #expect(try ELFFile.read(path: top).flags1 & ELFFile.nodeflib != 0)
    }

    @Test func filesWithoutTheMagicAreNotELF() throws {
        let scratch = try TemporaryDirectory()
        let text = try scratch.write("script", "#!/bin/sh\necho hi\n")
        let empty = try scratch.write("empty", "")
        #expect(!ELFFile.hasELFMagic(path: text))
        #expect(!ELFFile.hasELFMagic(path: empty))
        #expect(throws: ELFError(path: text, problem: .notELF)) { try ELFFile.read(path: text) }
        #expect(throws: ELFError(path: empty, problem: .notELF)) { try ELFFile.read(path: empty) }
        #expect(throws: ELFError(path: scratch.path, problem: .notRegularFile)) { try ELFFile.read(path: scratch.path) }
    }
}
