import Foundation
import ShopdeckModel
#if canImport(Glibc)
import Glibc
#endif

/// Watches the data folder: inotify on Linux, a once-a-second scan of names, sizes and
/// modification times where inotify is unavailable (some network mounts). A change is
/// reported once it has settled (terminal-ui.md, Live data): no event and no size or mtime
/// change for `settle` seconds (one), and, for a CSV/TSV/TXT export, a last record that ends
/// with a line end. Until then the file is listed in `stillWriting` and not reported, so the
/// last good version of its table stays on screen. Only regular files are looked at.
public final class FolderWatcher {
    public let folder: String
    public let settle: TimeInterval
    public private(set) var usesInotify = false
    private var fd: Int32 = -1
    private var lastSignature: [String: String] = [:]
    private var pending: Set<String> = []
    private var lastEvent = Date.distantPast
    private var lastScan = Date.distantPast
    private let pollInterval: TimeInterval

    /// Changed exports not settled yet (still changing, or a text export whose last record
    /// has no line end): still being written.
    public private(set) var stillWriting: Set<String> = []
    /// False when the folder itself is gone or unreadable.
    public private(set) var folderReadable = true

    public init(folder: String, settle: TimeInterval = 1.0, pollInterval: TimeInterval = 1, inotify: Bool = true) {
        self.folder = folder; self.settle = settle; self.pollInterval = pollInterval
        lastSignature = signature()
        #if canImport(Glibc)
        if inotify {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if fd >= 0 {
                let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB)
                if inotify_add_watch(fd, folder, mask) >= 0 { usesInotify = true } else { close(fd); fd = -1 }
            }
        }
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Names, sizes and modification times of the exports, the config and the scripts.
    public func signature() -> [String: String] {
        var out: [String: String] = [:]
        let names = FileReader.list(folder)
        folderReadable = names != nil
        for n in names ?? [] where DataLoader.isExport(name: n) || n == "shopdeck.toml" || n.lowercased().hasSuffix(".txt") {
            let p = folder + "/" + n
            out[n] = "\(FileReader.fileSize(p) ?? -1)|\(FileReader.modificationTime(p) ?? 0)"
        }
        for n in FileReader.list(folder + "/scripts") ?? [] {
            let p = folder + "/scripts/" + n
            out["scripts/" + n] = "\(FileReader.fileSize(p) ?? -1)|\(FileReader.modificationTime(p) ?? 0)"
        }
        return out
    }

    /// Call often (each turn of the loop): the names that changed and have settled, or nil.
    public func poll(now: Date = Date()) -> Set<String>? {
        var sawEvent = false
        #if canImport(Glibc)
        if fd >= 0 {
            var buf = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                sawEvent = true
            }
        }
        #endif
        if sawEvent { lastEvent = now }
        // Scan on an event (inotify) or every pollInterval (fallback, and a safety net).
        if sawEvent || now.timeIntervalSince(lastScan) >= (usesInotify ? max(pollInterval, 2) : pollInterval) || !pending.isEmpty {
            lastScan = now
            let sig = signature()
            if sig != lastSignature {
                for (k, v) in sig where lastSignature[k] != v { pending.insert(k) }
                for k in lastSignature.keys where sig[k] == nil { pending.insert(k) }
                lastSignature = sig
                lastEvent = now
            }
        }
        // Changed and not settled yet: still being written, as far as anyone can tell.
        stillWriting = pending.filter { $0 != "shopdeck.toml" && !$0.hasPrefix("scripts/") && FileReader.entryKind(folder + "/" + $0) != .missing }
        guard !pending.isEmpty, now.timeIntervalSince(lastEvent) >= settle else { return nil }
        // A text export whose last record has no line end is still being written.
        stillWriting = Set(pending.filter { !endsWithLineEnd(folder + "/" + $0) })
        let ready = pending.subtracting(stillWriting)
        pending = stillWriting
        return ready.isEmpty ? nil : ready
    }

    /// True unless `path` is a non-empty CSV/TSV/TXT regular file whose last byte is not a
    /// line feed (a removed file, a workbook or the config count as ended).
    func endsWithLineEnd(_ path: String) -> Bool {
        let lower = path.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt"),
              case .regular = FileReader.entryKind(path), let size = FileReader.fileSize(path), size > 0,
              let last = try? FileReader.readRange(path, from: Int(size) - 1, count: 1) else { return true }
        // UTF-16 text ends with "\n\0" (LE) or "\0\n" (BE): its last byte is 0x00 or 0x0A.
        if last == [0x00], let two = try? FileReader.readRange(path, from: Int(size) - 2, count: 2) { return two == [0x0A, 0x00] }
        return last == [0x0A]
    }

    /// Waits (polling every 20 ms) until a settled change is seen, or `timeout` passes.
    public func wait(timeout: TimeInterval) -> Set<String>? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let c = poll() { return c }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }
}
