import Foundation
import ShopdeckModel
import ShopdeckRules
import ShopdeckScreen

/// Reads theme files (`themes/*.toml`): colours by role, each a name, a 256-colour index, a
/// hex value, or a list of those where the first the terminal can show wins.
public enum ThemeLoader {
    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// The `themes/` folder: `SHOPDECK_THEMES`, else beside the executable's package checkout.
    public static func folder() -> String? {
        if let env = ProcessInfo.processInfo.environment["SHOPDECK_THEMES"], FileReader.isDirectory(env) { return env }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = source.appendingPathComponent("themes").path
        return FileReader.isDirectory(path) ? path : nil
    }

    /// Theme names found in the folder, the default first.
    public static func available() -> [String] {
        guard let dir = folder(), let names = FileReader.list(dir) else { return ["default"] }
        let found = names.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        return ["default"] + found.filter { $0 != "default" }
    }

    /// A theme by name (from the folder) or by file path.
    /// The theme for a terminal that says its background is light (`COLORFGBG` ending in 7 or
    /// 15, as rxvt, Konsole and others set it): `light`; else `default`.
    public static func automatic(environment env: [String: String]) -> String {
        guard let v = env["COLORFGBG"], let bg = v.split(separator: ";").last.flatMap({ Int($0) }) else { return "default" }
        return [7, 15].contains(bg) && available().contains("light") ? "light" : "default"
    }

    public static func load(_ nameOrPath: String, colors: Int) throws -> Theme {
        let path: String
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { path = nameOrPath }
        else if let dir = folder() { path = dir + "/" + nameOrPath + ".toml" }
        else if nameOrPath == "default" { return .standard }
        else { throw Invalid(description: "no themes folder found for theme '\(nameOrPath)'") }
        guard let bytes = try? FileReader.readAll(path) else {
            if nameOrPath == "default" { return .standard }
            throw Invalid(description: "\(path): theme not found (available: \(available().joined(separator: ", ")))")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path, colors: colors)
    }

    public static func parse(_ text: String, file: String, colors: Int) throws -> Theme {
        let c = try ConfigValue.parseTOML(text, file: file)
        var theme = Theme(name: c["name"]?.string ?? (file as NSString).lastPathComponent, styles: [:])
        guard let roles = c["roles"]?.table else { throw Invalid(description: "\(file): a theme needs a [roles] table") }
        for (key, v) in roles {
            guard let role = Theme.Role(rawValue: key) else {
                throw Invalid(description: "\(file): unknown role '\(key)'; roles: \(Theme.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var style = Style()
            if let fg = v["fg"] { style.fg = try color(fg, colors: colors, where: "\(file): roles.\(key).fg") }
            if let bg = v["bg"] { style.bg = try color(bg, colors: colors, where: "\(file): roles.\(key).bg") }
            for a in v["attrs"]?.array ?? [] {
                switch a.string {
                case "bold": style.attrs.insert(.bold)
                case "reverse": style.attrs.insert(.reverse)
                case "dim": style.attrs.insert(.dim)
                case "underline": style.attrs.insert(.underline)
                default: throw Invalid(description: "\(file): roles.\(key).attrs: unknown '\(a.string ?? "?")'; use bold, reverse, dim, underline")
                }
            }
            theme.styles[role] = style
        }
        return theme
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// One colour, or the first of a list the terminal can show.
    static func color(_ v: ConfigValue, colors: Int, where w: String) throws -> Color {
        if let list = v.array {
            let parsed = try list.map { try color($0, colors: colors, where: w) }
            for c in parsed {
                switch c {
                case .rgb, .indexed: if colors >= 256 { return c }
                default: return c
                }
            }
            return parsed.last ?? .default
        }
        if let i = v.int {
            guard (0...255).contains(i) else { throw Invalid(description: "\(w): colour index \(i) is outside 0-255") }
            return i < 16 ? .ansi(UInt8(i)) : .indexed(UInt8(i))
        }
        guard let s = v.string?.lowercased() else { throw Invalid(description: "\(w): expected a colour name, index, \"#rrggbb\" or a list") }
        if s == "default" { return .default }
        if s.hasPrefix("#"), s.count == 7, let n = UInt32(s.dropFirst(), radix: 16) {
            return .rgb(UInt8(n >> 16), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF))
        }
        let bright = s.hasPrefix("bright-") || s.hasPrefix("bright_")
        let base = bright ? String(s.dropFirst(7)) : s
        if let i = names.firstIndex(of: base) { return .ansi(UInt8(i + (bright ? 8 : 0))) }
        if s == "gray" || s == "grey" { return .ansi(8) }
        throw Invalid(description: "\(w): unknown colour '\(s)'; use \(names.joined(separator: ", ")), bright-…, default, 0-255 or #rrggbb")
    }
}
