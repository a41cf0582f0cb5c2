import Foundation
import Testing
import ShopdeckScreen

/// Terminals: TERM variants with CJK lining up, NO_COLOR, a C locale, a broken theme.
@Suite("End to end: any terminal", .serialized, Tools.needsTmux)
struct TerminalEndToEndTests {
    static let data = try! Harness.demo(perWeek: 200)

    @Test(arguments: ["xterm-256color", "screen-256color", "xterm", "vt100", "linux"])
    func cjkLinesUpUnder(_ term: String) throws {
        let tmux = try Tmux(width: 100, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(Self.data)) --as-of '2026-11-24 16:00:00'",
                            env: ["TERM": term, "LANG": "C.UTF-8"])
        let screen = try tmux.waitForDashboard()
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Every boxed line is exactly 100 columns wide, whatever mix of CJK and ASCII it holds.
        let boxed = lines.filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }
        #expect(boxed.count >= 24)
        for l in boxed { #expect(DisplayWidth.of(l) == 100, "TERM=\(term): \(l)") }
        try tmux.send("Tab", "Tab", "Enter")
        let table = try tmux.waitFor("Violations · 违规记录")
        let rows = table.split(separator: "\n").map(String.init).filter { $0.contains("WG2023") && !$0.contains(" · ") }
        #expect(rows.count >= 5)
        // The last column (an ASCII date after three CJK columns) starts at the same display
        // column in every row: CJK widths were counted right.
        let date = try NSRegularExpression(pattern: "1[01]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]")
        let cols = Set(rows.compactMap { row -> Int? in
            guard let m = date.firstMatch(in: row, range: NSRange(row.startIndex..., in: row)), let r = Range(m.range, in: row) else { return nil }
            return DisplayWidth.of(String(row[..<r.lowerBound]))
        })
        #expect(cols.count == 1, "TERM=\(term): \(rows)")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func noColorKeepsEmphasisOnly() throws {
        let tmux = try Tmux(width: 100, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(Self.data)) --as-of '2026-11-24 16:00:00'",
                            env: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "NO_COLOR": "1"])
        try tmux.waitForDashboard()
        let styled = try Harness.run(["tmux", "-L", tmux.socket, "capture-pane", "-e", "-p", "-t", tmux.session]).stdout
        let colour = try NSRegularExpression(pattern: "\u{1B}\\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)[;m]")
        #expect(colour.numberOfMatches(in: styled, range: NSRange(styled.startIndex..., in: styled)) == 0, "colour codes under NO_COLOR")
        #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m") || styled.contains("\u{1B}[1m"), "emphasis kept")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func aNonUTF8LocaleGetsASCIIBordersAndFigures() throws {
        let tmux = try Tmux(width: 100, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(Self.data)) --as-of '2026-11-24 16:00:00'",
                            env: ["TERM": "xterm-256color", "LANG": "C", "LC_ALL": "C"])
        let s = try tmux.waitFor("ASCII dashboard") { $0.contains("+- ") && $0.contains("Shipping") && $0.contains("%") }
        #expect(s.contains("%"))
        #expect(s.unicodeScalars.allSatisfy { $0.isASCII })
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func aDumbTerminalRunsWithoutColourInsteadOfRefusing() throws {
        let tmux = try Tmux(width: 100, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(Self.data)) --as-of '2026-11-24 16:00:00'",
                            env: ["TERM": "dumb", "LANG": "C.UTF-8"])
        try tmux.waitForDashboard()
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }

    @Test func aBrokenThemeFallsBackToTheDefault() throws {
        let bad = Harness.tempDir("theme") + "/broken.toml"
        try "[roles]\nbreach = { fg = \"ultraviolet\" }\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let tmux = try Tmux(width: 120, height: 30, command: "\(Harness.binary) --data \(Tmux.quote(Self.data)) --theme \(bad) --as-of '2026-11-24 16:00:00'")
        let s = try tmux.waitFor("the default theme is used")
        #expect(s.contains("ultraviolet") && s.contains("发货 Shipping"))
        try tmux.send("Escape")
        try tmux.waitFor("message closed") { !$0.contains("the default theme is used") }
        try tmux.send("t")
        _ = try tmux.waitFor("theme high-contrast")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
    }
}
