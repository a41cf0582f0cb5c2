import Foundation

/// Phase timings on standard error when `SHOPDECK_TIMINGS` is set (for finding where a slow
/// load spends its time; `shopdeck bench` prints the measured figures).
///
/// Each piece of work that is timed keeps its own `Clock` (a local value): loads, reports and
/// appends running at once on other threads (a fleet, a dashboard's reload) share no clock.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["SHOPDECK_TIMINGS"] != nil

    /// A phase clock: `mark` prints the time since the previous mark, or since the clock was
    /// made, with the process's memory.
    public struct Clock {
        private var last = DispatchTime.now().uptimeNanoseconds

        public init() {}

        /// Prints the time since the previous mark (or since the clock was made), named `phase`.
        public mutating func mark(_ phase: String) {
            guard enabled else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            let m = memory()
            FileHandle.standardError.write(Data(String(format: "%-28@ %8.1f ms  rss %4d MB  peak %4d MB  anon %4d  file %4d\n", phase as NSString,
                                                       Double(now - last) / 1e6, m["VmRSS"] ?? 0, m["VmHWM"] ?? 0, m["RssAnon"] ?? 0, m["RssFile"] ?? 0).utf8))
            last = now
        }
    }

    /// Prints a phase timed on its own (one of several run side by side).
    public static func note(_ phase: String, _ seconds: Double) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(String(format: "%-28@ %8.1f ms  (side by side)\n", phase as NSString, seconds * 1e3).utf8))
    }

    /// The memory figures of `/proc/self/status` in MB, by name (none where there is no file).
    static func memory() -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
        var out: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasSuffix(" kB") {
            let parts = line.split(separator: ":")
            if parts.count == 2, let kb = Int(parts[1].dropLast(3).trimmingCharacters(in: .whitespaces)) { out[String(parts[0])] = kb / 1024 }
        }
        return out
    }
}
