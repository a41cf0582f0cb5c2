import ArgumentParser
import Foundation
import ShopdeckApp
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen
import CShim
#if canImport(Glibc)
import Glibc
#endif

/// `shopdeck bench`: speed and memory figures of the release build, printed, never asserted.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure load, rules, reload, memory, frame time and terminal bytes on generated order files.")
    @Option(name: .long, help: "Order counts to generate and measure (comma separated).") var rows = "1000000,5000000"
    @Option(name: .long, help: "Where to write the generated files.") var dir: String = NSTemporaryDirectory() + "shopdeck-bench"
    @Option(name: .long, help: "Measure an existing orders file instead of generating one.") var file: String?
    @Flag(name: .customLong("skip-terminal"), help: "Do not measure terminal bytes.") var skipTerminal = false
    @Flag(name: .customLong("big-shop"), help: "Measure a big shop's whole folder: 1M orders, 200k after-sales, 200k products, 30k waybills, 2k violations, 500 coupons, 5k reports.")
    var bigShop = false
    @Flag(name: .long, help: "Measure side by side: the cold load of a 1M-order shop, its reopen from the snapshot cache, and the open of a fleet of 100 shops of 20k orders (cold and from their caches).")
    var reopen = false
    @Option(name: .long, help: "With --big-shop: the shared bench folder (q_floor.c, q_duckdb.py, q_polars.py, q_pandas.py), timed on the same orders file side by side.")
    var anchors: String?
    @Option(name: .customLong("load-once"), help: .hidden) var loadOnce: String?

    func run() throws {
        let asOf = CST.instant(year: 2023, month: 3, day: 5, hour: 23, minute: 59, second: 59)
        if let loadOnce {
            // A child of `--big-shop`: one table of the big shop loaded in a fresh process, the
            // seconds printed.
            guard let k = TableKind(rawValue: loadOnce) else { throw ValidationError("no table named \(loadOnce)") }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let s = DataLoader.load(folder: "\(dir)/big-shop", only: [k])
            print(String(format: "%.6f %d", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, s.files.reduce(0) { $0 + $1.rows }))
            return
        }
        if bigShop { try big(asOf: asOf); return }
        if reopen { try reopenAndFleet(asOf: asOf); return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var sizes: [(String, Int)] = []
        if let file { sizes = [(file, 0)] } else {
            for n in rows.split(separator: ",").compactMap({ Int($0) }) {
                let folder = "\(dir)/orders-\(n)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let path = "\(folder)/orders.csv"
                if FileReader.fileSize(path) == nil {
                    let t0 = Date()
                    try BenchData.write(path: path, rows: n, asOf: asOf)
                    print(String(format: "generated %d orders in %.1f s: %@", n, Date().timeIntervalSince(t0), path))
                }
                sizes.append((path, n))
            }
        }
        print("figure                              value")
        for (path, _) in sizes {
            let folder = (path as NSString).deletingLastPathComponent
            warm(path) // the file in the page cache, as for the comparisons
            var (snap, load, rules) = timedLoadAndRules(folder, asOf: asOf)
            let mb = Double(snap.totalBytes) / 1_048_576
            let n = snap.orders.count
            print("== \(path) (\(n) orders, \(String(format: "%.0f", mb)) MB)")
            print(String(format: "load                                %.3f s", load))
            print(String(format: "rule engine                         %.3f s", rules))
            print(String(format: "load + rules                        %.3f s", load + rules))
            print(String(format: "rows/s                              %.0f", Double(n) / load))
            print(String(format: "MB/s                                %.1f", mb / load))
            print(String(format: "peak memory (RSS so far)            %.0f MB (file %.0f MB)", peakMB(), mb))
            // Append 1,000 orders and measure from the write to updated figures.
            let appended = "\(folder)/orders_append.csv"
            try BenchData.write(path: appended, rows: 1000, asOf: asOf, seed: 99, first: 50_000_000)
            let a0 = DispatchTime.now().uptimeNanoseconds
            var s2 = snap
            snap = Snapshot() // s2 holds the only reference: the reload works in place, no copy
            _ = DataLoader.reload(folder: folder, changed: ["orders_append.csv"], snapshot: &s2)
            let r2 = Engine.run(snapshot: s2, rulebook: .standard(), asOf: asOf)
            let a1 = DispatchTime.now().uptimeNanoseconds
            print(String(format: "append 1,000 orders -> new figures   %.3f s (%d orders)", Double(a1 - a0) / 1e9, s2.orders.count))
            try? FileManager.default.removeItem(atPath: appended)
            // One dashboard frame.
            let state = AppState(report: r2, folder: folder, now: asOf, fixedAsOf: asOf)
            let f0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<100 { _ = View.render(state, width: 120, height: 40) }
            let f1 = DispatchTime.now().uptimeNanoseconds
            print(String(format: "dashboard frame built               %.2f ms", Double(f1 - f0) / 1e6 / 100))
        }
        if !skipTerminal { try terminalBytes() }
    }

    /// Reads a file through a small buffer so it sits in the page cache (like `cat > /dev/null`).
    /// The big-shop folder: each table loaded alone (MB/s), then the whole folder (load, rules,
    /// peak memory) against the orders file alone.
    func big(asOf: Instant) throws {
        let folder = "\(dir)/big-shop"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let orders = 1_000_000
        if FileReader.fileSize(folder + "/orders.csv") == nil { try BenchData.write(path: folder + "/orders.csv", rows: orders, asOf: asOf) }
        let tables: [(TableKind, Int)] = [(.aftersales, 200_000), (.products, 200_000), (.waybills, 30_000), (.violations, 2_000), (.coupons, 500), (.reports, 5_000)]
        for (k, n) in tables where FileReader.fileSize("\(folder)/\(k.rawValue).csv") == nil {
            try BenchData.writeTable(k, path: "\(folder)/\(k.rawValue).csv", rows: n, asOf: asOf, orders: orders)
        }
        // First, while this process is small (a spawned child's peak memory starts at ours).
        try sideBySide(folder: folder, asOf: CST.format(asOf))
        print("table, loaded alone: median of 5 loads in this process, and of 5 fresh processes (as a user runs it)")
        print("table          rows        MB     load s     MB/s   of orders' MB/s (issue 18: at least 0.5)   fresh s   fresh MB/s   of orders'")
        var ordersRate = 0.0, freshOrdersRate = 0.0
        for (k, _) in [(TableKind.orders, orders)] + tables {
            let path = "\(folder)/\(k.rawValue).csv"
            warm(path)
            // The median of five loads: one load of a small file is a few milliseconds, and a
            // single one measured the machine's mood as much as the loader.
            var times: [Double] = []
            var s = Snapshot()
            for _ in 0..<5 {
                s = Snapshot()
                let t0 = DispatchTime.now().uptimeNanoseconds
                s = DataLoader.load(folder: folder, only: [k])
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            let secs = times.sorted()[2]
            let mb = Double(FileReader.fileSize(path) ?? 0) / 1_048_576
            if k == .orders { ordersRate = mb / secs }
            // The same load in a process of its own each time: no memory left free by the
            // loads before it (a table of columns gets fresh mappings; rows of structs reuse
            // the heap a load before them freed).
            let fresh = (0..<5).compactMap { _ in Bench.output([Bench.selfPath, "bench", "--dir", dir, "--load-once", k.rawValue]) }
                .compactMap { $0.split(separator: " ").first.flatMap { Double($0) } }.sorted()
            let freshSecs = fresh.isEmpty ? Double.nan : fresh[fresh.count / 2]
            if k == .orders { freshOrdersRate = mb / freshSecs }
            print(k.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: " %8d %8.1f %10.3f %8.1f %8.2f", s.files.reduce(0) { $0 + $1.rows }, mb, secs, mb / secs, mb / secs / ordersRate)
                  + String(format: "%44.3f %12.1f %11.2f", freshSecs, mb / freshSecs, mb / freshSecs / freshOrdersRate))
        }
        let (snap, load, rules) = timedLoadAndRules(folder, asOf: asOf)
        let mb = Double(snap.totalBytes) / 1_048_576
        print(String(format: "whole folder: load %.3f s, rule engine %.3f s, total %.3f s; %.0f MB; peak memory %.0f MB",
                     load, rules, load + rules, mb, peakMB()))
    }

    /// Issue 15's figures in one run: a 1M-order shop loaded cold and reopened from its
    /// snapshot cache, and a fleet of 100 shops of 20k orders opened cold and from the caches,
    /// against the sum of the single cold loads divided by the cores.
    func reopenAndFleet(asOf: Instant) throws {
        func secs(_ t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
        let shop = "\(dir)/reopen-1m"
        try FileManager.default.createDirectory(atPath: shop, withIntermediateDirectories: true)
        if FileReader.fileSize(shop + "/orders.csv") == nil { try BenchData.write(path: shop + "/orders.csv", rows: 1_000_000, asOf: asOf) }
        try? FileManager.default.removeItem(atPath: shop + "/.shopdeck/cache")
        warm(shop + "/orders.csv")
        var t0 = DispatchTime.now().uptimeNanoseconds
        let cold = DataLoader.load(folder: shop)
        let coldSecs = secs(t0)
        let stamps = SnapshotCache.stamps(folder: shop)
        t0 = DispatchTime.now().uptimeNanoseconds
        SnapshotCache.store(cold, folder: shop, stamps: stamps, passwords: [])
        let writeSecs = secs(t0)
        let cacheMB = Double(FileReader.fileSize(SnapshotCache.path(folder: shop)) ?? 0) / 1_048_576
        warm(SnapshotCache.path(folder: shop))
        t0 = DispatchTime.now().uptimeNanoseconds
        let warmSnap = SnapshotCache.load(folder: shop, passwords: [])
        let reopenSecs = secs(t0)
        print("figure                                        value")
        print(String(format: "1M orders: cold load                          %.3f s", coldSecs))
        print(String(format: "1M orders: cache written                      %.3f s (%.0f MB on disk, %.0f B an order)", writeSecs, cacheMB, cacheMB * 1_048_576 / 1e6))
        print(String(format: "1M orders: reopen from the cache              %.3f s (%.2f of the cold load)%@", reopenSecs, reopenSecs / coldSecs,
                     warmSnap == nil ? " — CACHE NOT USED" : ""))

        let fleet = "\(dir)/fleet-100x20k"
        let names = (1...100).map { String(format: "shop%03d", $0) }
        for (i, n) in names.enumerated() {
            let d = fleet + "/" + n
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            if FileReader.fileSize(d + "/orders.csv") == nil { try BenchData.write(path: d + "/orders.csv", rows: 20_000, asOf: asOf, seed: UInt64(i + 1)) }
            try? FileManager.default.removeItem(atPath: d + "/.shopdeck")
            warm(d + "/orders.csv")
        }
        t0 = DispatchTime.now().uptimeNanoseconds
        for n in names.prefix(10) { _ = DataLoader.load(folder: fleet + "/" + n) }
        let single = secs(t0) / 10
        let cores = ProcessInfo.processInfo.activeProcessorCount
        t0 = DispatchTime.now().uptimeNanoseconds
        let plain = Fleet.load(folder: fleet, shops: names, asOf: asOf, rulesFile: nil, passwords: [], cache: false)
        let fleetPlain = secs(t0)
        t0 = DispatchTime.now().uptimeNanoseconds
        let first = Fleet.load(folder: fleet, shops: names, asOf: asOf, rulesFile: nil, passwords: [], cache: true)
        let fleetCold = secs(t0)
        t0 = DispatchTime.now().uptimeNanoseconds
        let again = Fleet.load(folder: fleet, shops: names, asOf: asOf, rulesFile: nil, passwords: [], cache: true)
        let fleetWarm = secs(t0)
        print(String(format: "fleet 100 x 20k: one shop's cold load          %.3f s", single))
        print(String(format: "fleet 100 x 20k: sum of cold loads / %d cores   %.3f s", cores, single * 100 / Double(cores)))
        print(String(format: "fleet 100 x 20k: open, no cache (load + rules) %.3f s (%d shops, %d failed)", fleetPlain, plain.count, plain.filter { $0.error != nil }.count))
        print(String(format: "fleet 100 x 20k: open, writing the caches      %.3f s (%d shops)", fleetCold, first.count))
        print(String(format: "fleet 100 x 20k: open again, from the caches   %.3f s (%d shops)", fleetWarm, again.count))
        print(String(format: "peak memory                                   %.0f MB", peakMB()))
    }

    /// Loads `folder` and runs the engine once: the snapshot and both times in seconds.
    func timedLoadAndRules(_ folder: String, asOf: Instant) -> (Snapshot, Double, Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let snap = DataLoader.load(folder: folder)
        let t1 = DispatchTime.now().uptimeNanoseconds
        _ = Engine.run(snapshot: snap, rulebook: .standard(), asOf: asOf)
        let t2 = DispatchTime.now().uptimeNanoseconds
        return (snap, Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
    }

    func warm(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        while read(fd, &buf, buf.count) > 0 {}
        close(fd)
    }

    func peakMB() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_maxrss) / 1024
    }

    /// Bytes the dashboard sends to a 120x40 pseudo-terminal: first paint, one move, and a
    /// one-figure update after a data change.
    func terminalBytes() throws {
        let folder = "\(dir)/terminal-demo"
        try? FileManager.default.removeItem(atPath: folder)
        try DemoShop(seed: 7, anchor: CST.instant(year: 2026, month: 11, day: 24, hour: 16), ordersPerWeek: 300).write(to: folder)
        var name = [CChar](repeating: 0, count: 128)
        let master = shim_openpty(&name, 128)
        guard master >= 0 else { print("no pty: terminal bytes not measured"); return }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ws = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        let slave = open(slavePath, O_RDWR)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &ws)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0])
        p.arguments = ["--data", folder, "--as-of", "2026-11-24 16:00:00"]
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"; env["LANG"] = "C.UTF-8"
        p.environment = env
        let h = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardInput = h; p.standardOutput = h; p.standardError = h
        try p.run()
        func drain(quiet: Double) -> Int {
            var total = 0
            var buf = [UInt8](repeating: 0, count: 65536)
            var last = Date()
            while Date().timeIntervalSince(last) < quiet {
                var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 50) > 0 {
                    let n = read(master, &buf, buf.count)
                    if n > 0 { total += n; last = Date() }
                }
            }
            return total
        }
        let first = drain(quiet: 0.8)
        _ = write(master, "j", 1)
        let move = drain(quiet: 0.5)
        let f = FileHandle(forWritingAtPath: folder + "/violations.csv")!
        f.seekToEndOfFile(); f.write(Data("WG2023999,2026-11-24 15:00:00,虚假发货,商家,3,警告,待处理,0,2026-12-01 00:00:00\r\n".utf8)); try f.close()
        let update = drain(quiet: 2.5)
        _ = write(master, "q", 1)
        p.waitUntilExit()
        print("terminal bytes (120x40, xterm-256color)")
        print("first paint                         \(first) B")
        print("one cursor move (focus next pane)   \(move) B")
        print("one-figure update after a change    \(update) B")
    }
}
