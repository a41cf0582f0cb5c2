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

/// Issue 14: on 8 colours grey must not become black on black, bright colours keep their weight.
@Suite("Colours on 8-colour terminals")
struct EightColourTests {
    @Test func greyBecomesDimmedDefaultAndBrightBecomesBold() throws {
        let theme = try ThemeLoader.load("default", colors: 8)
        let dim = ColorMap.degraded(theme[.dim], colors: 8)
        #expect(dim.fg == .default && dim.attrs.contains(.dim))
        let warn = ColorMap.degraded(theme[.warning], colors: 8)
        #expect(warn.fg == .ansi(3) && warn.attrs.contains(.bold))
        // Black on black is never drawn.
        let bad = ColorMap.degraded(Style(fg: .ansi(0), bg: .ansi(8)), colors: 8)
        #expect(ColorMap.number(bad.fg, colors: 8) != ColorMap.number(bad.bg, colors: 8))
        // 16 colours and more: unchanged.
        #expect(ColorMap.degraded(theme[.dim], colors: 16) == theme[.dim])
        // Every role of every shipped theme stays visible on 8 colours.
        for name in ThemeLoader.available() {
            let t = try ThemeLoader.load(name, colors: 8)
            for role in Theme.Role.allCases {
                let s = ColorMap.degraded(t[role], colors: 8)
                if s.fg != .default { #expect(ColorMap.number(s.fg, colors: 8) != ColorMap.number(s.bg, colors: 8), "\(name) \(role)") }
            }
        }
    }
}

@Suite("Theme for the terminal's background")
struct AutomaticThemeTests {
    @Test func aLightBackgroundGetsTheLightTheme() {
        #expect(ThemeLoader.automatic(environment: ["COLORFGBG": "0;15"]) == "light")
        #expect(ThemeLoader.automatic(environment: ["COLORFGBG": "0;default;7"]) == "light")
        #expect(ThemeLoader.automatic(environment: ["COLORFGBG": "15;0"]) == "default")
        #expect(ThemeLoader.automatic(environment: [:]) == "default")
    }
}
