import Foundation

extension DataLoader {
    /// Re-reads only the tables whose files changed (`changed`: file names in the folder), and
    /// keeps the last good version of a table whose new files fail: a half-written or broken
    /// file never blanks a table; its errors are reported as warnings naming file and line.
    /// Returns the new snapshot and the tables that were re-read.
    public static func reload(folder: String, changed: Set<String>, previous: Snapshot, passwords: [String] = []) -> (Snapshot, Set<TableKind>) {
        var s = previous
        let t = reload(folder: folder, changed: changed, snapshot: &s, passwords: passwords)
        return (s, t)
    }

    /// The same, in place: appended orders on a big shop are applied without a copy of the
    /// table and without re-reading it.
    /// `everything`: every table is re-read (`r`), each keeping its last good version when its
    /// files cannot be loaded now. `progress`: where the re-reading is counted (an append is
    /// not: it reads only the new lines).
    @discardableResult
    public static func reload(folder: String, changed: Set<String>, snapshot: inout Snapshot, passwords: [String] = [], everything all: Bool = false,
                              progress: LoadProgress? = nil) -> Set<TableKind> {
        let started = DispatchTime.now().uptimeNanoseconds
        if !all, appendOrders(folder: folder, changed: changed.filter { $0 != "shopdeck.toml" && !$0.hasPrefix("scripts/") }, snapshot: &snapshot) {
            snapshot.loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return [.orders]
        }
        let previous = snapshot
        var tables = Set<TableKind>()
        var everything = all
        for name in changed {
            if name == "shopdeck.toml" || name.hasPrefix("scripts/") { continue }
            if let k = recognise(name: name) ?? previous.files.first(where: { $0.path == name })?.table { tables.insert(k) }
            else { everything = true } // a file named by its headers only: re-read all
        }
        if everything { tables = Set(TableKind.allCases) }
        if tables.isEmpty { return [] }
        let fresh = load(folder: folder, only: tables, passwords: passwords, progress: progress)
        var out = previous
        for k in tables {
            let newFiles = fresh.files.filter { $0.table == k }
            let newErrors = fresh.errors.filter { e in fileTable(e.file, fresh, previous) == k }
            // Broken: a file of this table exists but could not be loaded at all (unreadable,
            // missing columns, encrypted…). Bad rows alone are not: the new table stands, its
            // bad rows reported.
            let unloadable = fresh.skippedFiles.filter { fileTable($0, fresh, previous) == k }
            let broken = !unloadable.isEmpty && previous.files.contains { $0.table == k }
            out.errors.removeAll { fileTable($0.file, previous, previous) == k }
            out.warnings.removeAll { fileTable($0.file, previous, previous) == k }
            out.skippedFiles.removeAll { n in fileTable(n, previous, previous) == k }
            if broken {
                // Keep the last good table; say what is wrong.
                out.errors += newErrors.map { e in
                    var w = e
                    w.reason = "kept the last good \(k.rawValue) table: " + e.reason
                    return w
                }
                continue
            }
            out.files.removeAll { $0.table == k }
            out.files += newFiles
            out.errors += newErrors
            out.warnings += fresh.warnings.filter { fileTable($0.file, fresh, previous) == k }
            out.skippedFiles += fresh.skippedFiles.filter { fileTable($0, fresh, previous) == k }
            switch k {
            case .orders: out.orders = fresh.orders
            case .aftersales: out.refunds = fresh.refunds
            case .violations: out.violations = fresh.violations
            case .coupons: out.coupons = fresh.coupons
            case .products: out.products = fresh.products
            case .reports: out.reports = fresh.reports
            case .adjustments: out.adjustments = fresh.adjustments
            case .waybills: out.waybills = fresh.waybills
            }
        }
        out.files.sort { $0.path < $1.path }
        out.totalBytes = fresh.totalBytes
        out.loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        snapshot = out
        return tables
    }

    /// The table a file (or a workbook sheet label "file [sheet]") belongs to.
    static func fileTable(_ file: String, _ a: Snapshot, _ b: Snapshot) -> TableKind? {
        let base = file.components(separatedBy: " [").first ?? file
        return recognise(name: base) ?? a.files.first { $0.path == base }?.table ?? b.files.first { $0.path == base }?.table
    }
}
