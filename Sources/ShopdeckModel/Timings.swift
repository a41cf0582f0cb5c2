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
        FileHandle.standardError.write(Data(String(format: "%-28@ %8.1f ms\n", phase as NSString, Double(now - last) / 1e6).utf8))
        last = now
    }
}
