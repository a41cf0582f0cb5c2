import Crypto
import Foundation

/// Instant reopen (issue 15): a shop's loaded tables kept in `.shopdeck/cache/snapshot.bin` in
/// a form that opens without parsing (the orders', after-sales and product tables' columns as
/// raw bytes, the other tables as length-prefixed fields), keyed by every export's name, size,
/// modification time (to the nanosecond) and inode, the passwords tried, the build that wrote
/// it (its executable's size and time), and this format's version.
///
/// Never trusted: a file with another magic or version, a wrong length or checksum, a key
/// that does not match the folder now, or any value that does not decode is ignored (the
/// exports are read and the cache replaced). Written to a temporary name and renamed, so a
/// reader sees the old cache or the new one, never half of one. The callers decide when it
/// may be used: never in review mode or for a folder that cannot be written.
public enum SnapshotCache {
    public static let version: UInt32 = 4
    static let magic = Array("SHOPDECK-SNAPSHOT\n".utf8)

    public static func path(folder: String) -> String { folder + "/.shopdeck/cache/snapshot.bin" }

    /// One export's identity: it is unchanged while all of these are.
    public struct Stamp: Equatable, Sendable {
        public var name: String
        public var size: Int64, mtimeSec: Int64, mtimeNsec: Int64, inode: UInt64
    }

    /// The stamps of every file the loader would consider, by name.
    public static func stamps(folder: String) -> [Stamp] {
        let (files, skipped) = DataLoader.exportEntries(in: folder)
        var out: [Stamp] = []
        for name in (files.map(\.name) + skipped.map(\.name)).sorted() {
            var st = stat()
            guard lstat(folder + "/" + name, &st) == 0 else { continue }
            out.append(Stamp(name: name, size: Int64(st.st_size), mtimeSec: Int64(st.st_mtim.tv_sec), mtimeNsec: Int64(st.st_mtim.tv_nsec),
                             inode: UInt64(st.st_ino)))
        }
        return out
    }

    /// The key's first part: the passwords tried and the running build (its executable's size
    /// and modification time), so a build that loads differently never reads an older one's
    /// tables as its own.
    static func keyDigest(_ passwords: [String]) -> [UInt8] {
        var st = stat()
        let exe = lstat("/proc/self/exe", &st) == 0 && stat("/proc/self/exe", &st) == 0
            ? "\(st.st_size):\(st.st_mtim.tv_sec):\(st.st_mtim.tv_nsec)" : "unknown build"
        return Array(SHA256.hash(data: Data((exe + "\u{0}" + passwords.joined(separator: "\u{0}")).utf8)))
    }

    // MARK: reading

    /// The cached snapshot when it matches the folder exactly (`stamps`: the folder's now, as
    /// the caller took them before deciding); nil otherwise, and with `SHOPDECK_DEBUG_CACHE`
    /// set, why on stderr.
    public static func load(folder: String, passwords: [String], stamps now: [Stamp]? = nil) -> Snapshot? {
        let started = DispatchTime.now().uptimeNanoseconds
        // Mapped, not copied: the columns are copied once, out of the page cache.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path(folder: folder)), options: .alwaysMapped) else { return nil }
        var snap: Snapshot
        do { snap = try decode(data, expecting: now ?? stamps(folder: folder), passwords: passwords) } catch {
            if ProcessInfo.processInfo.environment["SHOPDECK_DEBUG_CACHE"] != nil { FileHandle.standardError.write(Data("cache: \(error)\n".utf8)) }
            return nil
        }
        snap.loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return snap
    }

    static func decode(_ data: Data, expecting: [Stamp], passwords: [String]) throws -> Snapshot {
        var clock = Timings.Clock()
        return try data.withUnsafeBytes { raw -> Snapshot in
            var r = BinaryReader(raw)
            guard Array(try r.bytes(magic.count)) == magic, try r.u32() == version else { throw BinaryReader.Invalid() }
            let length = try r.u64()
            let digest = Array(try r.bytes(32))
            let body = try r.bytes(Int(clamping: length))
            guard r.atEnd else { throw BinaryReader.Invalid() }
            var b = BinaryReader(body)
            // The key first (every read bounds-checked): a cache of other files or another
            // build is refused without checksumming its whole body.
            guard Array(try b.bytes(32)) == keyDigest(passwords) else { throw BinaryReader.Invalid() }
            let n = try b.count()
            var stamps: [Stamp] = []
            for _ in 0..<n { stamps.append(Stamp(name: try b.string(), size: try b.i64(), mtimeSec: try b.i64(), mtimeNsec: try b.i64(), inode: try b.u64())) }
            guard stamps == expecting, checksum(body) == digest else { throw BinaryReader.Invalid() }
            clock.mark("cache: map, key and checksum")
            let snap = try readSnapshot(&b)
            clock.mark("cache: tables")
            guard b.atEnd else { throw BinaryReader.Invalid() }
            return snap
        }
    }

    // MARK: writing

    /// Stores `snap` for the files stamped `stamps` (taken before the load: a file that
    /// changed meanwhile makes the cache not match next time, never a stale match). Streamed
    /// to a temporary file through a 1 MiB buffer (no copy of the whole cache in memory), the
    /// header's length and checksum filled in last, then renamed over the old cache.
    @discardableResult
    public static func store(_ snap: Snapshot, folder: String, stamps: [Stamp], passwords: [String]) -> Bool {
        var clock = Timings.Clock()
        let dir = folder + "/.shopdeck/cache"
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch { return false }
        var st = stat()
        guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return false }
        let tmp = dir + "/snapshot.bin.\(getpid()).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        var header = BinaryWriter()
        header.bytes(magic); header.u32(version); header.u64(0); header.bytes([UInt8](repeating: 0, count: 32))
        var ok = header.data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == header.data.count
        var b = BinaryWriter(fd: fd)
        b.bytes(keyDigest(passwords))
        b.count(stamps.count)
        for s in stamps { b.string(s.name); b.i64(s.size); b.i64(s.mtimeSec); b.i64(s.mtimeNsec); b.u64(s.inode) }
        writeSnapshot(snap, &b)
        let (length, digest) = b.finish()
        clock.mark("cache: written")
        ok = ok && !b.failed
        var fill = BinaryWriter()
        fill.u64(length); fill.bytes(digest)
        ok = ok && fill.data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(magic.count + 4)) } == fill.data.count
        close(fd)
        guard ok, rename(tmp, path(folder: folder)) == 0 else { unlink(tmp); return false }
        return true
    }

    /// A 256-bit checksum of a body, for damage (a truncated, overwritten or mixed-up file),
    /// not for an adversary: four independent 64-bit multiply-xor lanes over 8-byte words, at
    /// memory speed (SHA-256 took half of a reopen). The owner of the folder is its only writer.
    struct Checksum {
        var h: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x27D4_EB2F_1656_67C5)
        var total = 0
        static let m: UInt64 = 0xFF51_AFD7_ED55_8CCD

        /// Whole 32-byte blocks (a caller feeds multiples of 32 until the last piece).
        mutating func blocks(_ b: UnsafeRawBufferPointer) {
            precondition(b.count % 32 == 0)
            var (a, c, d, e) = h
            let m = Checksum.m
            var i = 0
            while i < b.count {
                a = (a ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m
                c = (c ^ b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* m
                d = (d ^ b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* m
                e = (e ^ b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* m
                a ^= a >> 29; c ^= c >> 31; d ^= d >> 27; e ^= e >> 33
                i += 32
            }
            h = (a, c, d, e)
            total += b.count
        }

        /// The last piece (any length) and the digest.
        mutating func finish(_ tail: UnsafeRawBufferPointer) -> [UInt8] {
            let whole = tail.count / 32 * 32
            blocks(UnsafeRawBufferPointer(rebasing: tail[0..<whole]))
            for i in whole..<tail.count { h.0 = (h.0 ^ UInt64(tail[i])) &* Checksum.m; h.0 ^= h.0 >> 29 }
            total += tail.count - whole
            h.1 ^= UInt64(total); h.2 = (h.2 ^ h.0) &* Checksum.m; h.3 = (h.3 ^ h.1) &* Checksum.m
            var out: [UInt8] = []
            for v in [h.0, h.1, h.2, h.3] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
            return out
        }
    }

    static func checksum(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        var c = Checksum()
        return c.finish(b)
    }

    /// The file around a body: magic, version, length, checksum of the body, the body.
    static func sealed(_ body: Data) -> Data {
        var out = BinaryWriter()
        out.bytes(magic); out.u32(version); out.u64(UInt64(body.count))
        out.bytes(body.withUnsafeBytes { checksum($0) })
        out.data.append(body)
        return out.data
    }

    // MARK: the snapshot, field by field

    static func writeSnapshot(_ s: Snapshot, _ b: inout BinaryWriter) {
        writeOrders(s.orders, &b)
        writeRefunds(s.refunds, &b)
        b.count(s.violations.count)
        for x in s.violations {
            b.string(x.violationId); b.i64(x.notifiedAt); b.string(x.rule); b.string(x.subject); b.int(x.points); b.strings(x.measures)
            b.string(x.status); b.int(x.appealsUsed); b.i64(x.appealDeadline); b.int(x.line); b.string(x.file)
        }
        b.count(s.coupons.count)
        for x in s.coupons {
            b.string(x.activityId); b.optString(x.name); b.string(x.couponType); b.i64(x.threshold); b.i64(x.faceValue); b.i64(x.issueAt)
            b.optInt(x.quantity); b.optString(x.livePlan); b.optString(x.status); b.int(x.line); b.string(x.file)
        }
        writeProducts(s.products, &b)
        b.count(s.reports.count)
        for x in s.reports {
            b.string(x.reportId); b.string(x.userId); b.i64(x.reportedAt); b.string(x.result); b.optString(x.shopId); b.int(x.line); b.string(x.file)
        }
        b.count(s.adjustments.count)
        for x in s.adjustments {
            b.strings(x.area.parts); b.string(x.areaText); b.string(x.scope.rawValue); b.i64(x.start); b.i64(x.end); b.i64(x.publishedAt)
            b.optString(x.source); b.int(x.line); b.string(x.file)
        }
        b.count(s.waybills.count)
        for x in s.waybills { b.string(x.orderId); b.optString(x.waybillNo); b.i64(x.pickedUpAt); b.int(x.line); b.string(x.file) }
        b.count(s.files.count)
        for f in s.files {
            b.string(f.path); b.string(f.table.rawValue); b.int(f.rows); b.int(f.badRows); b.string(f.encoding.rawValue); b.int(f.bytes)
            b.bool(f.hasPickupColumn); b.bool(f.endsWithLineEnd); b.strings(f.headers); b.int(f.nextLine); b.int(f.tailHash)
        }
        for list in [s.errors, s.warnings] {
            b.count(list.count)
            for e in list { b.string(e.file); b.optInt(e.line); b.optInt(e.column); b.string(e.reason) }
        }
        b.strings(s.skippedFiles)
        b.int(s.totalBytes)
    }

    static func readSnapshot(_ r: inout BinaryReader) throws -> Snapshot {
        var s = Snapshot()
        s.orders = try readOrders(&r)
        func kind<T: RawRepresentable>(_ t: T.Type, _ v: String) throws -> T where T.RawValue == String {
            guard let k = T(rawValue: v) else { throw BinaryReader.Invalid() }
            return k
        }
        s.refunds = try readRefunds(&r)
        for _ in 0..<(try r.count()) {
            var x = Violation(violationId: try r.string(), notifiedAt: try r.i64(), rule: try r.string(), status: "")
            x.subject = try r.string(); x.points = try r.int(); x.measures = try r.strings(); x.status = try r.string()
            x.appealsUsed = try r.int(); x.appealDeadline = try r.i64(); x.line = try r.int(); x.file = try r.string()
            s.violations.append(x)
        }
        for _ in 0..<(try r.count()) {
            var x = Coupon(activityId: try r.string(), name: try r.optString(), couponType: try r.string(), threshold: try r.i64(), faceValue: try r.i64(),
                           issueAt: try r.i64())
            x.quantity = try r.optInt(); x.livePlan = try r.optString(); x.status = try r.optString(); x.line = try r.int(); x.file = try r.string()
            s.coupons.append(x)
        }
        s.products = try readProducts(&r)
        for _ in 0..<(try r.count()) {
            var x = CustomerReport(reportId: try r.string(), userId: try r.string(), reportedAt: try r.i64(), result: try r.string())
            x.shopId = try r.optString(); x.line = try r.int(); x.file = try r.string()
            s.reports.append(x)
        }
        for _ in 0..<(try r.count()) {
            var x = Adjustment(area: Region(parts: try r.strings()), areaText: try r.string(), scope: try kind(AdjustmentScope.self, try r.string()),
                               start: try r.i64(), end: try r.i64(), publishedAt: try r.i64())
            x.source = try r.optString(); x.line = try r.int(); x.file = try r.string()
            s.adjustments.append(x)
        }
        for _ in 0..<(try r.count()) {
            var x = Waybill(orderId: try r.string(), waybillNo: try r.optString(), pickedUpAt: try r.i64())
            x.line = try r.int(); x.file = try r.string()
            s.waybills.append(x)
        }
        for _ in 0..<(try r.count()) {
            var f = FileLoad(path: try r.string(), table: try kind(TableKind.self, try r.string()), rows: try r.int(), badRows: try r.int(),
                             encoding: try kind(TextEncoding.self, try r.string()), bytes: try r.int())
            f.hasPickupColumn = try r.bool(); f.endsWithLineEnd = try r.bool(); f.headers = try r.strings(); f.nextLine = try r.int(); f.tailHash = try r.int()
            s.files.append(f)
        }
        for which in 0..<2 {
            var list: [LoadError] = []
            for _ in 0..<(try r.count()) { list.append(LoadError(file: try r.string(), line: try r.optInt(), column: try r.optInt(), reason: try r.string())) }
            if which == 0 { s.errors = list } else { s.warnings = list }
        }
        s.skippedFiles = try r.strings()
        s.totalBytes = try r.int()
        return s
    }

    // MARK: the orders table: columns as raw bytes

    static func writeColumn<T>(_ c: Column<T>, _ b: inout BinaryWriter) {
        b.int(c.count); b.int(MemoryLayout<T>.stride); b.bool(c.isUniform)
        if c.isUniform { if c.count > 0 { withUnsafeBytes(of: c[0]) { b.raw($0) } } }
        else { c.withUnsafeBytes { b.raw($0) } }
    }

    static func readColumn<T>(_ r: inout BinaryReader, _ t: T.Type) throws -> Column<T> {
        let n = try r.int(), stride = try r.int(), uniform = try r.bool()
        guard n >= 0, stride == MemoryLayout<T>.stride else { throw BinaryReader.Invalid() }
        if uniform {
            guard n > 0 else { return Column() }
            let b = try r.bytes(stride)
            return .uniform(b.loadUnaligned(as: T.self), count: n)
        }
        let (total, over) = n.multipliedReportingOverflow(by: stride)
        guard !over else { throw BinaryReader.Invalid() }
        return .fromRaw(try r.bytes(total), count: n)
    }

    static func writeTimes(_ c: TimeColumn, _ b: inout BinaryWriter) {
        writeColumn(c.codes, &b)
        b.count(c.overflow.count)
        for (k, v) in c.overflow.sorted(by: { $0.key < $1.key }) { b.int(k); b.i64(v) }
    }

    static func readTimes(_ r: inout BinaryReader) throws -> TimeColumn {
        var c = TimeColumn()
        c.codes = try readColumn(&r, Int32.self)
        for _ in 0..<(try r.count()) {
            let k = try r.int(), v = try r.i64()
            guard k >= 0, k < c.codes.count else { throw BinaryReader.Invalid() }
            c.overflow[k] = v
        }
        return c
    }

    static func writeInterner(_ t: ByteInterner, _ b: inout BinaryWriter) {
        b.count(t.count)
        for i in 0..<t.count { t.withBytes(Int32(i)) { b.int($0.count); b.raw($0) } }
    }

    static func readInterner(_ r: inout BinaryReader, into t: inout ByteInterner, _ add: (inout ByteInterner, UnsafeRawBufferPointer) -> Int32?) throws {
        let n = try r.count()
        for i in 0..<n {
            let len = try r.int()
            guard len >= 0 else { throw BinaryReader.Invalid() }
            let bytes = try r.bytes(len)
            guard add(&t, bytes) == Int32(i) else { throw BinaryReader.Invalid() }
        }
    }

    static func writeOrders(_ o: OrdersTable, _ b: inout BinaryWriter) {
        writeColumn(o.ids.bytes, &b); writeColumn(o.ids.ends, &b); writeColumn(Column(o.ids.slots), &b)
        for t in [o.paid, o.promised, o.delayed, o.shipped, o.pickedUp, o.closed] { writeTimes(t, &b) }
        writeColumn(o.promiseHours, &b); writeColumn(o.status, &b); writeColumn(o.flags, &b)
        for c in [o.shipFrom, o.shipTo, o.productId, o.productName, o.officialEvent] { writeColumn(c, &b) }
        writeColumn(o.amount, &b)
        writeInterner(o.regions.texts, &b)
        writeInterner(o.texts, &b)
        writeInterner(o.productIds, &b)
    }

    static func readOrders(_ r: inout BinaryReader) throws -> OrdersTable {
        var o = OrdersTable()
        o.ids.bytes = try readColumn(&r, UInt8.self)
        o.ids.ends = try readColumn(&r, UInt32.self)
        // The ends must rise within the bytes: the ids are read by them.
        var last: UInt32 = 0
        let rising = o.ids.ends.withUnsafeBufferPointer { ends in
            for e in ends { if e < last { return false }; last = e }
            return true
        }
        guard rising else { throw BinaryReader.Invalid() }
        guard Int(last) <= o.ids.bytes.count else { throw BinaryReader.Invalid() }
        // The id index as it was built (rebuilding it would cost as much as the rest): the
        // right size for the rows, each slot empty or naming a row.
        let slotCount = try r.int(), slotStride = try r.int(), slotsUniform = try r.bool()
        // (A shop without orders has no index at all.)
        guard slotCount == (o.ids.count == 0 ? 0 : OrderIds.slotCount(o.ids.count)) || (o.ids.count == 0 && slotCount == OrderIds.slotCount(0)),
              slotStride == 8, !slotsUniform else { throw BinaryReader.Invalid() }
        let raw = try r.bytes(slotCount * 8)
        let rows = UInt64(o.ids.count)
        o.ids.slots = [UInt64](unsafeUninitializedCapacity: slotCount) { buf, n in
            if slotCount > 0 { UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: slotCount * 8) }
            n = slotCount
        }
        guard o.ids.slots.allSatisfy({ ($0 & 0xFFFF_FFFF) <= rows }) else { throw BinaryReader.Invalid() }
        o.ids.indexed = o.ids.count
        o.paid = try readTimes(&r); o.promised = try readTimes(&r); o.delayed = try readTimes(&r)
        o.shipped = try readTimes(&r); o.pickedUp = try readTimes(&r); o.closed = try readTimes(&r)
        o.promiseHours = try readColumn(&r, Int16.self)
        // The status bytes are checked before they are taken as an enumeration.
        let statusBytes = try readColumn(&r, UInt8.self)
        guard statusBytes.withUnsafeBytes({ $0.allSatisfy { OrderStatus(rawValue: $0) != nil } }) else { throw BinaryReader.Invalid() }
        o.status = statusBytes.withUnsafeBytes { .fromRaw($0, count: statusBytes.count) }
        o.flags = try readColumn(&r, OrderFlags.self)
        o.shipFrom = try readColumn(&r, Int32.self); o.shipTo = try readColumn(&r, Int32.self)
        o.productId = try readColumn(&r, Int32.self); o.productName = try readColumn(&r, Int32.self)
        o.officialEvent = try readColumn(&r, Int32.self)
        o.amount = try readColumn(&r, Int64.self)
        var regionTexts: [[UInt8]] = []
        var scratch = ByteInterner(capacity: 16)
        try readInterner(&r, into: &scratch) { _, b in regionTexts.append(Array(b)); return Int32(regionTexts.count - 1) }
        for t in regionTexts {
            let idx = t.withUnsafeBytes { o.regions.intern($0) }
            guard idx == Int32(o.regions.texts.count - 1) else { throw BinaryReader.Invalid() }
        }
        try readInterner(&r, into: &o.texts) { t, b in let (i, new) = t.intern(b); return new ? i : nil }
        try readInterner(&r, into: &o.productIds) { t, b in let (i, new) = t.intern(b); return new ? i : nil }
        // Every column as long as the ids; every index within its pool.
        let n = o.ids.count
        for c in [o.paid.count, o.promised.count, o.delayed.count, o.shipped.count, o.pickedUp.count, o.closed.count,
                  o.promiseHours.count, o.status.count, o.flags.count, o.shipFrom.count, o.shipTo.count, o.productId.count,
                  o.productName.count, o.officialEvent.count, o.amount.count] where c != n { throw BinaryReader.Invalid() }
        func within(_ c: Column<Int32>, _ limit: Int) -> Bool { c.withUnsafeBufferPointer { $0.allSatisfy { $0 >= -1 && Int($0) < limit } } }
        guard within(o.shipFrom, o.regions.texts.count), within(o.shipTo, o.regions.texts.count), within(o.productId, o.productIds.count),
              within(o.productName, o.texts.count), within(o.officialEvent, o.texts.count) else { throw BinaryReader.Invalid() }
        return o
    }
}
