import Foundation
import Testing

/// The build's one GNU make jobserver, critical-path-first scheduling and ccache, judged by real
/// make and cc: every compile rule writes start and end markers to a shared log under flock,
/// so the most compile jobs alive at once can be counted afterwards.
@Suite(.serialized) struct JobserverTests {
    /// A make-built C library of `files` sources plus a sub-make of two more (`$(MAKE) -C sub`).
    /// Every compile rule logs `+` and `-` around a short sleep, so overlapping jobs show.
    func countedLibrary(_ repo: TestRepository, _ name: String, files: Int = 6, dependencies: [String] = [],
                        log: String, makeArgs: [String] = [], failing: Bool = false) throws {
        let rule = """
            %.o: %.c
            \t@flock $(LOG) sh -c 'echo "+ $(CURDIR)/$@" >> $(LOG)'
            \t@sleep 0.3
            \t$(CC) $(CFLAGS) -c $< -o $@
            \t@flock $(LOG) sh -c 'echo "- $(CURDIR)/$@" >> $(LOG)'

            """
        for index in 0..<files { try repo.write("src/\(name)/f\(index).c", "int \(name)_f\(index)(int x) { return x * \(index + 1); }\n") }
        for index in 0..<2 { try repo.write("src/\(name)/sub/s\(index).c", "int \(name)_s\(index)(void) { return \(index); }\n") }
        try repo.write("src/\(name)/sub/Makefile", "all: $(patsubst %.c,%.o,$(wildcard *.c))\n\n" + rule)
        try repo.write("src/\(name)/Makefile", """
            OBJS := $(patsubst %.c,%.o,$(wildcard *.c))
            all: lib.a sub
            .PHONY: sub install
            sub:
            \t$(MAKE) -C sub LOG=$(LOG)
            lib.a: $(OBJS)\(failing ? "\n\t@sleep 0.5; echo 'archive refused' >&2; exit 2" : "")
            \tar rcs $@ $^
            install:
            \tmkdir -p $(DESTDIR)$(PREFIX)/lib && cp lib.a $(DESTDIR)$(PREFIX)/lib/lib\(name).a

            """ + rule)
        let args = (["LOG=\(log)"] + makeArgs).map { "\"\($0)\"" }.joined(separator: ", ")
        try repo.localSoftware(name, dependencies: dependencies, steps: [
            "make: [\(args)]",
            #"make: [install, "PREFIX={{embedded}}"]"#,
        ])
    }

    /// The most `+` markers without their `-` at any point of the log.
    func mostAtOnce(_ log: String) throws -> Int {
        var running = 0
        var most = 0
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            running += line.hasPrefix("+") ? 1 : -1
            most = max(most, running)
        }
        return most
    }

    @Test func aLoneSoftwareGetsEveryJobAndADefinitionsOwnJobCountIsDropped() async throws {
        let repo = try TestRepository("jobserver-lone")
        let log = repo.root + "/jobs.log"
        try countedLibrary(repo, "solo", files: 8, log: log, makeArgs: ["-j8"])
        try repo.project(dependencies: ["solo"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try mostAtOnce(log) == 2, "compile jobs overlap, up to --jobs and never beyond despite -j8")
        let buildLog = try String(contentsOfFile: repo.workDir + "/app/logs/solo.log", encoding: .utf8)
        #expect(buildLog.contains("-j8 dropped: make takes its jobs from the build's jobserver"))
        #expect(!buildLog.contains("jobserver unavailable"), "make found the inherited FIFO descriptors")
    }

    @Test func softwareBuildingTogetherNeverExceedTheJobCount() async throws {
        let repo = try TestRepository("jobserver-shared")
        let log = repo.root + "/jobs.log"
        for name in ["alpha", "beta", "gamma"] { try countedLibrary(repo, name, log: log) }
        try repo.project(dependencies: ["alpha", "beta", "gamma"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "3"])
        #expect(build.status == 0, "\(build.stderr)")
        let most = try mostAtOnce(log)
        #expect(most > 1 && most <= 3, "\(most) compile jobs at once")
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == 3 * 8 * 2)
    }

    @Test func withoutTheJobserverEachMakeGetsItsShare() async throws {
        let repo = try TestRepository("jobserver-off")
        let log = repo.root + "/jobs.log"
        try countedLibrary(repo, "solo", log: log)
        try repo.project(dependencies: ["solo"])
        let build = try await repo.omnibus(["build", "app", "--jobs", "2", "--no-jobserver"])
        #expect(build.status == 0, "\(build.stderr)")
        let buildLog = try String(contentsOfFile: repo.workDir + "/app/logs/solo.log", encoding: .utf8)
        #expect(buildLog.contains("$ make -j2 LOG="))
        #expect(try mostAtOnce(log) <= 2)
    }

    @Test func aFailingMakeLeavesNoTokensLostForTheNextBuild() async throws {
        let repo = try TestRepository("jobserver-fail")
        let log = repo.root + "/jobs.log"
        try countedLibrary(repo, "solo", files: 8, log: log, failing: true)
        try repo.project(dependencies: ["solo"])
        let failed = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("archive refused"))
        try FileManager.default.removeItem(atPath: log)
        try countedLibrary(repo, "solo", files: 8, log: log)
        let build = try await repo.omnibus(["build", "app", "--jobs", "2"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try mostAtOnce(log) == 2, "the next build has both jobs again")
    }

    @Test func theLongestRecordedChainStartsFirst() async throws {
        let repo = try TestRepository("critical-path")
        let order = repo.root + "/order"
        for name in ["a", "b", "c", "d"] {
            try repo.localSoftware(name, dependencies: name == "d" ? ["a"] : [], steps: [#"run: "echo \#(name) >> \#(order)""#])
        }
        try repo.project(dependencies: ["b", "c", "d"])
        func startOrder() async throws -> [String] {
            try String(contentsOfFile: order, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let first = try await repo.omnibus(["build", "app", "--jobs", "1", "--no-cache"])
        #expect(first.status == 0, "\(first.stderr)")
        let unrecorded = try await startOrder()
        #expect(unrecorded == ["b", "c", "a", "d"], "without data, the build order as before")
        let durations = repo.cacheDir + "/durations/app.json"
        let recorded = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: URL(fileURLWithPath: durations)))
        #expect(Set(recorded.keys) == ["a", "b", "c", "d"], "every built software's time is recorded")

        // a alone is short, but a then d is the longest chain; once a is done, d (5) beats c (4) and b (3).
        try JSONEncoder().encode(["a": 1.0, "b": 3.0, "c": 4.0, "d": 5.0]).write(to: URL(fileURLWithPath: durations))
        try FileManager.default.removeItem(atPath: order)
        let second = try await repo.omnibus(["build", "app", "--jobs", "1", "--no-cache"])
        #expect(second.status == 0, "\(second.stderr)")
        let critical = try await startOrder()
        #expect(critical == ["a", "d", "c", "b"], "without data: \(unrecorded)")

        try JSONEncoder().encode(["a": 1.0, "b": 9.0, "c": 4.0, "d": 5.0]).write(to: URL(fileURLWithPath: durations))
        try FileManager.default.removeItem(atPath: order)
        #expect(try await repo.omnibus(["build", "app", "--jobs", "1", "--no-cache"]).status == 0)
        await #expect(try startOrder() == ["b", "a", "d", "c"])
    }

    /// ccache hits give the bytes a compilation gives: a second build served from ccache, a
    /// build from another work dir and a build without ccache all package the same bytes.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ccache"),
                   "Debian's ccache is not installed (apt-get install ccache)"))
    func ccacheHitsPackageTheSameBytes() async throws {
        let repo = try TestRepository("ccache")
        try repo.write("src/calc/calc.c", """
            #include <assert.h>
            #include "calc.h"
            int calc_twice(int x) { assert(x < 1000); return 2 * x; }
            const char *calc_where(void) { return __FILE__; }

            """)
        try repo.write("src/calc/include/calc.h", "int calc_twice(int x);\nstatic inline int calc_inline(void) { return __LINE__; }\n")
        try repo.write("src/calc/Makefile", """
            libcalc.so: calc.o
            \t$(CC) -shared -o $@ calc.o
            calc.o: calc.c include/calc.h
            \t$(CC) $(CFLAGS) -g -fPIC -I$(CURDIR)/include -c -o $@ calc.c
            install:
            \tmkdir -p $(DESTDIR)$(PREFIX)/lib && cp libcalc.so $(DESTDIR)$(PREFIX)/lib/

            """)
        try repo.localSoftware("calc", steps: ["make: []", #"make: [install, "PREFIX={{embedded}}"]"#])
        try repo.project(dependencies: ["calc"], extra: "package:\n  formats: [tar, deb]\n")
        let ccacheDir = repo.cacheDir + "/ccache"
        func hits() async throws -> Int {
            let stats = try await CommandResult.run(["ccache", "--print-stats"], environment: ["CCACHE_DIR": ccacheDir])
            return stats.stdout.split(separator: "\n").reduce(0) { total, line in
                let fields = line.split(separator: "\t")
                return total + (fields.count == 2 && fields[0].hasSuffix("_cache_hit") ? Int(fields[1]) ?? 0 : 0)
            }
        }
        func packages() async throws -> [String: Data] {
            let pkg = repo.root + "/pkg"
            var bytes: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: pkg) where name.hasSuffix(".deb") || name.hasSuffix(".tar.gz") {
                bytes[name] = try Data(contentsOf: URL(fileURLWithPath: pkg + "/" + name))
            }
            return bytes
        }
        let cold = try await repo.omnibus(["build", "app", "--ccache", "--no-cache"])
        #expect(cold.status == 0, "\(cold.stderr)")
        let first = try await packages()
        #expect(first.count == 2)
        await #expect(try hits() == 0)

        let warm = try await repo.omnibus(["build", "app", "--ccache", "--no-cache"])
        #expect(warm.status == 0, "\(warm.stderr)")
        await #expect(try hits() > 0, "the second build compiled nothing")
        await #expect(try packages() == first)

        let elsewhere = try await repo.omnibus(["build", "app", "--ccache", "--no-cache", "--work-dir", repo.workDir + "-other"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        await #expect(try packages() == first)

        let plain = try await repo.omnibus(["build", "app", "--no-ccache", "--no-cache"])
        #expect(plain.status == 0, "\(plain.stderr)")
        await #expect(try packages() == first, "ccache changes no byte, so it is no part of the layer key")
    }
}
