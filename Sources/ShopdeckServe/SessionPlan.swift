import Foundation

/// What a served session runs, by the user's role and shops (terminal-ui.md, Serving over
/// SSH): a shell session is that person's dashboard (a reviewer's in review mode); a command
/// session is one of `report`, `check`, `history`, `appeals list`, and for operators
/// `appeals file`, with the same flags and exit codes as locally, the server supplying
/// `--data` (and `--only-shops`, `--read-only`). Anything else is refused with the reason.
public struct SessionPlan: Equatable, Sendable {
    /// Arguments after the binary.
    public var arguments: [String]

    public struct Refusal: Error, Equatable, CustomStringConvertible { public let description: String }

    /// The data folder served and, for a fleet folder, its shop folder names.
    public struct Served: Sendable {
        public var data: String
        public var fleetShops: [String]?
        public init(data: String, fleetShops: [String]?) { self.data = data; self.fleetShops = fleetShops }
    }

    /// `--data` (and `--only-shops`) for the user's shops; `shop` picks one of them.
    static func dataArguments(_ user: ServeUsers.User, _ served: Served, shop: String?) throws -> [String] {
        guard let fleet = served.fleetShops else {
            let name = (served.data as NSString).lastPathComponent
            if let only = user.shops, !only.contains(name) { throw Refusal(description: "the shop \(name) is not one of yours") }
            if let shop, shop != name { throw Refusal(description: "the shop \(shop) is not served here") }
            return ["--data", served.data]
        }
        let mine = user.shops.map { s in fleet.filter { s.contains($0) } } ?? fleet
        guard !mine.isEmpty else { throw Refusal(description: "none of your shops is served here") }
        if let shop {
            guard mine.contains(shop) else { throw Refusal(description: "the shop \(shop) is not one of yours (yours: \(mine.joined(separator: ", ")))") }
            return ["--data", served.data + "/" + shop]
        }
        // A fleet stays a fleet (the same view and JSON shape for every user), limited to the
        // user's shops.
        if user.shops == nil { return ["--data", served.data] }
        return ["--data", served.data, "--only-shops", mine.joined(separator: ",")]
    }

    /// The dashboard, in the user's language.
    public static func shell(_ user: ServeUsers.User, _ served: Served, lang: String?) throws -> SessionPlan {
        var args = ["dashboard"] + (try dataArguments(user, served, shop: nil))
        if user.role == .reviewer { args.append("--read-only") }
        if let lang { args += ["--lang", lang] }
        return SessionPlan(arguments: args)
    }

    /// Flags the server supplies or that would reach outside the user's shops.
    static let forbidden: Set<String> = ["--data", "--journal", "--only-shops", "--rules", "--out"]

    public static func exec(_ command: String, _ user: ServeUsers.User, _ served: Served) throws -> SessionPlan {
        var words = try tokens(command)
        guard !words.isEmpty else { throw Refusal(description: "no command: run report, check, history or appeals list") }
        var shop: String? = nil
        if let i = words.firstIndex(of: "--shop") {
            guard i + 1 < words.count else { throw Refusal(description: "--shop needs a shop folder name") }
            shop = words[i + 1]; words.removeSubrange(i...(i + 1))
        }
        for w in words {
            let flag = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if forbidden.contains(flag) { throw Refusal(description: "\(flag) is set by the server") }
            if w.hasPrefix("/") || w.contains("..") { throw Refusal(description: "'\(w)': paths are relative to the shop folder and stay inside it") }
        }
        var args: [String]
        switch (words.first!, words.count > 1 ? words[1] : "") {
        case ("report", _), ("check", _), ("history", _):
            args = [words[0]] + (try dataArguments(user, served, shop: shop)) + Array(words.dropFirst())
        case ("appeals", "list"):
            guard shop != nil || served.fleetShops == nil else { throw Refusal(description: "name the shop: appeals list --shop NAME") }
            args = ["appeals", "list"] + (try dataArguments(user, served, shop: shop)) + Array(words.dropFirst(2))
        case ("appeals", "file"):
            guard user.role == .operatorRole else { throw Refusal(description: "a reviewer files no appeal (review mode)") }
            guard shop != nil || served.fleetShops == nil else { throw Refusal(description: "name the shop: appeals file --shop NAME …") }
            args = ["appeals", "file"] + (try dataArguments(user, served, shop: shop)) + Array(words.dropFirst(2))
        default:
            throw Refusal(description: "'\(words.prefix(2).joined(separator: " "))' is not served: run report, check, history, appeals list" + (user.role == .operatorRole ? " or appeals file" : ""))
        }
        if user.role == .reviewer { args.append("--read-only") }
        return SessionPlan(arguments: args)
    }

    /// Words of a command line as a POSIX shell splits them (quotes and backslashes), without
    /// any expansion: nothing is run by a shell.
    public static func tokens(_ s: String) throws -> [String] {
        var out: [String] = [], cur = "", inWord = false
        var quote: Character? = nil, escape = false
        for ch in s {
            if escape { cur.append(ch); escape = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escape = true } else { cur.append(ch) }
                continue
            }
            switch ch {
            case "\\": escape = true; inWord = true
            case "'", "\"": quote = ch; inWord = true
            case " ", "\t", "\n": if inWord { out.append(cur); cur = ""; inWord = false }
            case ";", "|", "&", "`", "$", "<", ">": throw Refusal(description: "'\(ch)': no shell here; one command with its flags")
            default: cur.append(ch); inWord = true
            }
        }
        if quote != nil { throw Refusal(description: "an unclosed quote") }
        if inWord { out.append(cur) }
        return out
    }
}
