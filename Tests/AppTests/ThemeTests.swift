import Foundation
import Testing
@testable import ShopdeckApp
@testable import ShopdeckScreen
@testable import ShopdeckTerminal

@Suite("Themes and colours")
struct ThemeTests {
    @Test func shippedThemesLoadEveryRole() throws {
        let names = ThemeLoader.available()
        for n in ["default", "light", "high-contrast", "monochrome"] { #expect(names.contains(n), "\(n)") }
        for n in names {
            for colors in [0, 8, 16, 256] {
                let t = try ThemeLoader.load(n, colors: colors)
                for role in Theme.Role.allCases { #expect(t.styles[role] != nil, "\(n) lacks \(role.rawValue)") }
            }
        }
        let mono = try ThemeLoader.load("monochrome", colors: 256)
        for role in Theme.Role.allCases { #expect(mono[role].fg == .default && mono[role].bg == .default) }
    }

    @Test func colourListsPickWhatTheTerminalCanShow() throws {
        let light256 = try ThemeLoader.load("light", colors: 256)
        let light8 = try ThemeLoader.load("light", colors: 8)
        #expect(light256[.breach].fg == .rgb(0xAF, 0, 0))
        #expect(light8[.breach].fg == .ansi(1))
    }

    @Test func brokenThemesSayWhereAndWhat() {
        #expect(throws: (any Error).self) { try ThemeLoader.parse("name = \"x\"\n[roles]\nbreach = { fg = \"ultraviolet\" }\n", file: "t.toml", colors: 256) }
        do { _ = try ThemeLoader.parse("[roles\n", file: "bad.toml", colors: 256) } catch { #expect("\(error)".hasPrefix("bad.toml:1:")) }
        do { _ = try ThemeLoader.parse("[roles]\nborderz = {}\n", file: "r.toml", colors: 256) } catch { #expect("\(error)".contains("unknown role 'borderz'")) }
        #expect(throws: (any Error).self) { try ThemeLoader.load("no-such-theme", colors: 256) }
    }

    @Test func coloursDegradeToTheNearest() {
        #expect(ColorMap.number(.rgb(255, 0, 0), colors: 256) == 196)
        #expect(ColorMap.number(.rgb(250, 10, 10), colors: 16) == 9)
        #expect(ColorMap.number(.rgb(250, 10, 10), colors: 8) == 1)
        #expect(ColorMap.number(.indexed(196), colors: 8) == 1)
        #expect(ColorMap.number(.ansi(12), colors: 8) == 4)
        #expect(ColorMap.number(.ansi(12), colors: 16) == 12)
        #expect(ColorMap.number(.default, colors: 256) == -1)
    }
}
