import Foundation
import Testing
@testable import Linkage

/// `ldd` can run code from the file it inspects (a crafted PT_INTERP is run by the kernel, and
/// some ldd versions execute the program). The check reads files only; these fixtures leave a
/// marker when anything of theirs runs.
@Suite struct NeverExecutesTests {
    @Test func checkingFilesThatWouldLeaveAMarkerLeavesNone() throws {
        let install = try TemporaryDirectory("linkage-install")
        let markers = try TemporaryDirectory("linkage-markers")
        let interpreterMarker = markers.path + "/interpreter-ran"
        let constructorMarker = markers.path + "/constructor-ran"

        // A freestanding "interpreter" that only creates its marker and exits.
        let interpreter = install.path + "/embedded/lib/evil-ld.so"
        try Compiler.build("""
            static long sys(long n, long a, long b, long c) {
                long r; __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory"); return r;
            }
            void _start(void) { long fd = sys(2, (long)"\(interpreterMarker)", 0101, 0644); if (fd >= 0) sys(3, fd, 0, 0); sys(60, 0, 0, 0); for (;;) {} }
            """, to: interpreter, ["-nostdlib", "-static", "-fno-stack-protector"], in: install)
        let hijacked = install.path + "/bin/hijacked"
        try Compiler.build("int main(void) { return 0; }\n", to: hijacked, ["-Wl,--dynamic-linker=\(interpreter)"], in: install)
        // A program and a library whose constructors create the other marker.
        let constructor = """
            #include <fcntl.h>
            #include <unistd.h>
            __attribute__((constructor)) static void mark(void) { int fd = open("\(constructorMarker)", O_CREAT | O_WRONLY, 0644); if (fd >= 0) close(fd); }
            int main(void) { return 0; }
            """
        let program = install.path + "/bin/constructor"
        try Compiler.build(constructor, to: program, in: install)
        try Compiler.build(constructor, to: install.path + "/embedded/lib/libmark.so", ["-shared", "-fPIC"], in: install)

        // Prove the fixtures really do leave their markers when run.
        _ = try Tools.run(hijacked, [])
        _ = try Tools.run(program, [])
        #expect(FileManager.default.fileExists(atPath: interpreterMarker), "running the hijacked program must run its interpreter")
        #expect(FileManager.default.fileExists(atPath: constructorMarker), "running the program must run its constructor")
        try FileManager.default.removeItem(atPath: interpreterMarker)
        try FileManager.default.removeItem(atPath: constructorMarker)

        let report = try HealthChecker().check(installDir: install.path)
        _ = try LibraryResolver().linkMap(forFileAt: hijacked)
        #expect(report.filesChecked == 4)
        // The interpreter is inside the install dir, so the hijacked program is clean on paper.
        #expect(try ELFFile.read(path: hijacked).interpreter == interpreter)
        #expect(!FileManager.default.fileExists(atPath: interpreterMarker), "the check ran the interpreter")
        #expect(!FileManager.default.fileExists(atPath: constructorMarker), "the check ran a constructor")
    }
}
