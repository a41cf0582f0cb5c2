import Foundation
import TestScratch
import Testing
import ShopdeckModel
import ShopdeckRules
@testable import ShopdeckApp

/// `report --format text`: files left out are said, counts are worded right.
@Suite("Text report")
struct TextReportTests {
    static let asOf: Instant = { guard case .value(let t) = CST.parse("2023-03-06 10:00:00") else { fatalError() }; return t }()

    @Test func filesLeftOutAreListedUnderLoadWarnings() throws {
        let d = Scratch.folder("text-report")
        try "order_id,paid_at,promised_ship_at,status,shipped_at\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,已发货,2023-03-01 12:00:00\n"
            .write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        #expect(mkfifo(d + "/orders_fifo.csv", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: d + "/orders_gone.csv", withDestinationPath: d + "/nowhere.csv")
        try FileManager.default.createSymbolicLink(atPath: d + "/orders_loop.csv", withDestinationPath: "orders_loop.csv")
        let lines = TextReport.render(try Workspace.open(folder: d).report(asOf: Self.asOf), folder: d).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].wholeMatch(of: /loaded 1 file, 1 row, 0\.0 MB in \d+\.\d{3} s \(\d+ rows\/s, \d+\.\d MB\/s\); rules \d+\.\d{3} s/) != nil, "\(lines[2])")
        let from = try #require(lines.firstIndex(of: "Load warnings (3):"))
        #expect(Array(lines[from...]) == [
            "Load warnings (3):",
            "  orders_fifo.csv: skipped: this is a FIFO (named pipe), not a regular file; only regular files are read",
            "  orders_gone.csv: skipped: this is a link to nothing readable (No such file or directory), not a regular file; only regular files are read",
            "  orders_loop.csv: skipped: this is a link to nothing readable (Too many levels of symbolic links), not a regular file; only regular files are read",
            "",
        ])
    }

    @Test func aCleanLoadHasNoWarningsSection() throws {
        let d = Scratch.folder("text-report-clean")
        try "order_id,paid_at,promised_ship_at,status\nA,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\nB,2023-03-01 10:00:00,2023-03-02 10:00:00,待发货\n"
            .write(toFile: d + "/orders.csv", atomically: true, encoding: .utf8)
        let text = TextReport.render(try Workspace.open(folder: d).report(asOf: Self.asOf), folder: d)
        #expect(!text.contains("Load warnings"))
        #expect(text.split(separator: "\n")[2].hasPrefix("loaded 1 file, 2 rows, "))
    }
}

/// The skipped-entry warnings as the Chinese UI says them.
@Suite("Load words: skipped entries")
struct SkippedWordsTests {
    @Test func eachKindOfEntryInChinese() {
        func zh(_ what: String) -> String { LoadWords.reason("skipped: this is \(what), not a regular file; only regular files are read", .zh) }
        #expect(zh("a FIFO (named pipe)") == "已跳过：这是命名管道（FIFO），不是普通文件；只读取普通文件")
        #expect(zh("a device") == "已跳过：这是设备文件，不是普通文件；只读取普通文件")
        #expect(zh("a folder") == "已跳过：这是文件夹，不是普通文件；只读取普通文件")
        #expect(zh("a socket") == "已跳过：这是套接字，不是普通文件；只读取普通文件")
        #expect(zh("a link to nothing readable (Too many levels of symbolic links)")
                == "已跳过：这是指向不存在目标的链接（Too many levels of symbolic links），不是普通文件；只读取普通文件")
    }
}
