import Foundation

/// Phase timings on standard error when `SHOPDECK_TIMINGS` is set (for finding where a slow
/// load spends its time; `shopdeck bench` prints the measured figures).
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["SHOPDECK_TIMINGS"] != nil
    nonisolated(unsafe) static var last: UInt64 = 0

    /// Prints the time since the previous mark, named `phase`.
    public static func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if last == 0 { last = now }
        FileHandle.standardError.write(Data(String(format: "%-28@ %8.1f ms  rss %4d MB  peak %4d MB  anon %4d  file %4d\n", phase as NSString,
                                                   Double(now - last) / 1e6, memory("VmRSS"), memory("VmHWM"), memory("RssAnon"), memory("RssFile")).utf8))
        last = now
    }

    /// Starts the clock for the next mark (a load or an append in a long-running dashboard).
    public static func reset() {
        guard enabled else { return }
        last = DispatchTime.now().uptimeNanoseconds
    }

    /// A `/proc/self/status` figure in MB (0 where there is none).
    static func memory(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
