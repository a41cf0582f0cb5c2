import Foundation
import TestScratch
import ShopdeckModel
@testable import ShopdeckRules

func makeFolder(_ files: [String: String]) -> String {
    let dir = Scratch.folder("rules")
    for (name, text) in files {
        let path = dir + "/" + name
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: false, encoding: .utf8)
    }
    return dir
}

func t(_ s: String) -> Instant {
    guard case .value(let v) = CST.parse(s) else { fatalError("bad time \(s)") }
    return v
}

/// Runs the engine over a hand-made folder.
func run(_ files: [String: String], asOf: String, config: String? = nil, journal: [AppealEntry] = [], rules: String? = nil) throws -> Report {
    var all = files
    if let config { all["shopdeck.toml"] = config }
    let dir = makeFolder(all)
    let cfg = try ShopConfig.load(folder: dir)
    var overrides: [ConfigValue] = []
    if let r = cfg.rules { overrides.append(r) }
    if let rules { overrides.append(try ConfigValue.parseTOML(rules, file: "test")) }
    let rb = try Rulebook.with(overrides: overrides)
    return Engine.run(snapshot: DataLoader.load(folder: dir), rulebook: rb, config: cfg, asOf: t(asOf), journal: journal,
                      scripts: LiveScripts.load(folder: dir))
}

/// Orders CSV with the canonical header.
struct Orders {
    static let header = "order_id,paid_at,promise_hours,promised_ship_at,flash_sale,status,shipped_at,closed_at,delayed_promise_at,ship_from,ship_to,delay_reported"
    var lines: [String] = [header]
    mutating func add(_ id: String, paid: String, hours: Int = 24, promised: String? = nil, flash: Bool = false, status: String = "待发货",
                      shipped: String = "", closed: String = "", delayed: String = "", from: String = "广东省/广州市/白云区",
                      to: String = "北京市/北京市/朝阳区", reported: Bool = false) {
        let promise = promised ?? CST.format(t(paid) + Int64(hours) * 3600)
        lines.append([id, paid, "\(hours)", promise, flash ? "是" : "否", status, shipped, closed, delayed, from, to, reported ? "是" : "否"].joined(separator: ","))
    }
    var text: String { lines.joined(separator: "\n") + "\n" }
}

extension Report {
    func week(_ monday: String) -> ShippingWeek? { shipping.weeks.first { CST.formatDate($0.weekStart) == monday } }
    func weekJSON(_ monday: String) -> String {
        guard case .object(let top) = json(), case .object(let s)? = top.first(where: { $0.0 == "shipping" })?.1,
              case .array(let weeks)? = s.first(where: { $0.0 == "weeks" })?.1 else { return "" }
        return weeks.first { $0.serialized().contains("\"week_start\":\"\(monday)\"") }?.serialized() ?? ""
    }
}
