import Foundation
import ShopdeckModel
#if canImport(Glibc)
import Glibc
#endif

/// Watches the data folder: inotify on Linux, a once-a-second scan of names, sizes and
/// modification times where inotify is unavailable (some network mounts). A change is
/// reported once it has settled (no event and no size/mtime change for `settle` seconds),
/// so a file still being written is read once, when it is complete.
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

    public init(folder: String, settle: TimeInterval = 0.3, pollInterval: TimeInterval = 1, inotify: Bool = true) {
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
        for n in FileReader.list(folder) ?? [] where DataLoader.isExport(name: n) || n == "shopdeck.toml" {
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
        guard !pending.isEmpty, now.timeIntervalSince(lastEvent) >= settle else { return nil }
        defer { pending.removeAll() }
        return pending
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
