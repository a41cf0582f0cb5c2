import Foundation
import ShopdeckModel
#if canImport(Glibc)
import Glibc
#endif

/// The big-shop benchmark's side-by-side part (issue 18): `shopdeck report` on the folder's
/// orders file alone and on the whole folder, run as an operator runs it (a process each, its
/// JSON to /dev/null), beside the shared bench folder's anchors on the same orders file.
extension Bench {
    /// One run of `argv` (looked up in PATH), its output thrown away: wall seconds and the
    /// process's peak memory. Nil when it cannot start or exits non-zero.
    ///
    /// Linux's peak memory of a spawned child starts at its parent's (the child shares the
    /// parent's memory until it calls exec), so with GNU time at hand the peak is taken from
    /// it (its own child is forked from a small process); else from `wait4`, then an upper
    /// bound, exact only while this process is smaller than the child.
    static func timedRun(_ argv: [String], scratch: String) -> (secs: Double, peakMB: Double)? {
        let gnuTime = "/usr/bin/time", peakFile = scratch + "/peak.txt"
        guard FileManager.default.isExecutableFile(atPath: gnuTime) else { return spawn(argv) }
        guard let r = spawn([gnuTime, "-f", "%M", "-o", peakFile] + argv) else { return nil }
        let kb = (try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (r.secs, kb.map { $0 / 1024 } ?? r.peakMB)
    }

    private static func spawn(_ argv: [String]) -> (secs: Double, peakMB: Double)? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let args = argv.map { strdup($0) } + [nil]
        defer { for a in args { free(a) } }
        var pid: pid_t = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        guard posix_spawnp(&pid, argv[0], &actions, nil, args, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, macros Swift cannot import).
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else { return nil }
        return (secs, Double(usage.ru_maxrss) / 1024)
    }

    /// What `argv` printed, when it ran and exited 0.
    static func output(_ argv: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// This binary's own path, so the child runs the same build.
    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Rounds of every command in turn (the machine is shared and noisy: alternating, then the
    /// median), each after reading its input into the page cache.
    func sideBySide(folder: String, asOf: String) throws {
        let ordersFolder = folder + "-orders-alone"
        try FileManager.default.createDirectory(atPath: ordersFolder, withIntermediateDirectories: true)
        let ordersFile = folder + "/orders.csv"
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: ordersFolder + "/orders.csv")) == nil {
            try FileManager.default.createSymbolicLink(atPath: ordersFolder + "/orders.csv", withDestinationPath: ordersFile)
        }
        let me = Bench.selfPath
        func report(_ data: String) -> [String] { [me, "report", "--data", data, "--as-of", asOf, "--read-only", "--format", "json"] }
        var commands: [(name: String, argv: [String])] = [
            ("shopdeck report, orders file alone", report(ordersFolder)),
            ("shopdeck report, whole folder", report(folder)),
        ]
        if let anchors {
            let floorSource = anchors + "/q_floor.c", floorBinary = dir + "/q_floor"
            if FileManager.default.fileExists(atPath: floorSource),
               Bench.timedRun(["cc", "-O2", "-o", floorBinary, floorSource], scratch: dir) != nil {
                commands.append(("C floor, one thread (q_floor.c)", [floorBinary, ordersFile, asOf]))
            } else {
                print("side by side: no C compiler (cc) or no \(floorSource): the C floor is left out")
            }
            for (engine, script) in [("DuckDB", "q_duckdb.py"), ("Polars", "q_polars.py"), ("pandas", "q_pandas.py")] {
                let module = engine.lowercased()
                guard FileManager.default.fileExists(atPath: anchors + "/" + script),
                      Bench.timedRun(["python3", "-c", "import \(module)"], scratch: dir) != nil else {
                    print("side by side: python3 with \(module) not found: \(engine) is left out (pip install -r \(anchors)/requirements.txt)")
                    continue
                }
                var argv = ["python3", anchors + "/" + script, ordersFile, "--as-of", asOf]
                if engine != "pandas" { argv += ["--threads", "2"] }
                commands.append(("\(engine)\(engine == "pandas" ? "" : ", 2 threads") (\(script))", argv))
            }
        } else {
            print("side by side: pass --anchors DIR (the shared bench folder) to time C, DuckDB, Polars and pandas on the same orders file")
        }
        // Five: on this machine two runs of one binary differ by up to a tenth; the median of
        // three moved the ratios across their targets from run to run.
        let rounds = 5
        var times = [[Double]](repeating: [], count: commands.count)
        var peaks = [Double](repeating: 0, count: commands.count)
        for _ in 0..<rounds {
            for (i, c) in commands.enumerated() {
                for f in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] { warm(folder + "/" + f) }
                guard let r = Bench.timedRun(c.argv, scratch: dir) else { continue }
                times[i].append(r.secs)
                peaks[i] = max(peaks[i], r.peakMB)
            }
        }
        func median(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.sorted()[xs.count / 2] }
        print("side by side, \(rounds) alternating rounds, median seconds, peak memory (on \(ordersFile)):")
        let alone = median(times[0])
        for (i, c) in commands.enumerated() {
            guard let m = median(times[i]) else { print("  \(c.name): failed"); continue }
            let ratio = alone.map { String(format: "%5.2fx", m / $0) } ?? ""
            print("  " + c.name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%7.3f s %6.0f MB  ", m, peaks[i]) + ratio + " of the orders file alone")
        }
        // Issue 18's targets, from the figures above.
        func named(_ prefix: String) -> Int? { commands.firstIndex { $0.name.hasPrefix(prefix) } }
        guard let alone, let folderTime = median(times[1]) else { return }
        let folderMB = Double(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .reduce(Int64(0)) { $0 + (FileReader.fileSize(folder + "/" + $1) ?? 0) }) / 1_048_576
        print("issue 18's targets:")
        print(String(format: "  whole folder / orders file alone      %5.2fx  (at most 1.5x)", folderTime / alone))
        print(String(format: "  whole folder's peak / its bytes       %5.2f   (under 0.5: %.0f MB for %.0f MB)", peaks[1] / folderMB, peaks[1], folderMB))
        if let f = named("C floor"), let floor = median(times[f]) {
            print(String(format: "  orders file alone / C floor           %5.2fx  (at most 1.1x)", alone / floor))
        }
        if let d = named("DuckDB"), let duck = median(times[d]) {
            print(String(format: "  DuckDB / orders file alone            %5.2fx  (at least 2.2x)", duck / alone))
        }
    }
}
