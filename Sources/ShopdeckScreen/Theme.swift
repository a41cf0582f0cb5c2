/// Colours by role. Widgets ask for a role, never a colour, so a theme file can restyle
/// everything and a monochrome terminal keeps emphasis (bold / reverse) for what matters.
public struct Theme: Equatable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case text, dim, border, borderFocus = "border_focus", title, titleFocus = "title_focus", header
        case good, warning, breach, accent, selection, status, statusKey = "status_key", overlay, input, error
    }

    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) { self.name = name; self.styles = styles }

    public subscript(_ role: Role) -> Style { styles[role] ?? Theme.standard.styles[role] ?? .plain }

    /// The built-in default: the 16 ANSI colour names, so it follows the user's palette.
    public static let standard = Theme(name: "default", styles: [
        .text: Style(),
        .dim: Style(fg: .ansi(8)),
        .border: Style(fg: .ansi(8)),
        .borderFocus: Style(fg: .ansi(14), attrs: [.bold]),
        .title: Style(fg: .ansi(12), attrs: [.bold]),
        .titleFocus: Style(fg: .ansi(14), attrs: [.bold, .reverse]),
        .header: Style(fg: .ansi(12), attrs: [.bold, .underline]),
        .good: Style(fg: .ansi(10)),
        .warning: Style(fg: .ansi(11), attrs: [.bold]),
        .breach: Style(fg: .ansi(9), attrs: [.bold]),
        .accent: Style(fg: .ansi(13)),
        .selection: Style(attrs: [.reverse]),
        .status: Style(fg: .ansi(0), bg: .ansi(7)),
        .statusKey: Style(fg: .ansi(0), bg: .ansi(6), attrs: [.bold]),
        .overlay: Style(fg: .ansi(15), bg: .ansi(4)),
        .input: Style(attrs: [.underline]),
        .error: Style(fg: .ansi(9), attrs: [.bold]),
    ])

    /// No colour at all, emphasis kept (NO_COLOR, or a terminal without colours).
    public var monochrome: Theme {
        var t = Theme(name: name, styles: [:])
        for (role, s) in styles { t.styles[role] = Style(attrs: s.attrs) }
        for role in Role.allCases where t.styles[role] == nil { t.styles[role] = Style(attrs: Theme.standard[role].attrs) }
        t.styles[.breach] = Style(attrs: [.bold, .reverse])
        t.styles[.warning] = Style(attrs: [.bold])
        t.styles[.status] = Style(attrs: [.reverse])
        t.styles[.statusKey] = Style(attrs: [.reverse, .bold])
        t.styles[.selection] = Style(attrs: [.reverse])
        return t
    }
}

/// Box-drawing glyphs: Unicode light lines, or ASCII for a non-UTF-8 terminal.
public struct Glyphs: Equatable, Sendable {
    public var h, v, tl, tr, bl, br: String
    public var spark: [String]
    public var ellipsis: String
    public static let unicode = Glyphs(h: "─", v: "│", tl: "┌", tr: "┐", bl: "└", br: "┘",
                                       spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], ellipsis: "…")
    public static let ascii = Glyphs(h: "-", v: "|", tl: "+", tr: "+", bl: "+", br: "+",
                                     spark: ["_", ".", ",", "-", "~", "=", "*", "#"], ellipsis: "~")
}
