import ShopdeckModel

/// rules.md §5: measures, points, appealability with its reasons, the local journal.
enum ViolationRules {
    static func run(_ violations: [Violation], journal: [AppealEntry], token: String?, asOf T: Instant, rulebook rb: Rulebook,
                    work: WorkMeter? = nil) -> ([ViolationRow], [PointsRow]) {
        var visited = 0
        defer { work?.add("violations: rows visited", visited + journal.count) }
        var highest: [String: Int] = [:]
        for e in journal { highest[e.violationId] = max(highest[e.violationId] ?? 0, e.attempt) }
        let known = rb.allMeasures
        var rows: [ViolationRow] = []
        var points: [String: Int] = [:]
        for v in violations where v.notifiedAt <= T {
            visited += 1
            let local = highest[v.violationId] ?? 0
            let used = max(v.appealsUsed, local)
            let status = v.status.trimmingSpaces()
            var reason: String? = nil
            if local > v.appealsUsed || status == "申诉中" { reason = "in_progress" }
            else if status == "申诉成功" { reason = "resolved" }
            else if status != "待处理" && status != "申诉驳回" { reason = "final" }
            else if !(T >= rb.appealsEffectiveFrom ? rb.appealSubjects : rb.appealSubjectsBefore).contains(v.subject.trimmingSpaces()) {
                reason = "subject_not_allowed"
            } else if used >= rb.maxAppeals { reason = "limit_reached" }
            else if v.appealDeadline != .absent && T > v.appealDeadline { reason = "deadline_passed" }
            rows.append(ViolationRow(violationId: v.violationId, rule: v.rule, status: status, subject: v.subject,
                                     notifiedAt: v.notifiedAt, points: v.points, measures: v.measures,
                                     unknownMeasures: v.measures.filter { !known.contains($0) },
                                     appealsUsed: used, appealsLeft: max(0, rb.maxAppeals - used), appealable: reason == nil,
                                     notAppealableReason: reason, exemptionApplicable: v.violationId == token,
                                     appealDeadline: v.appealDeadline, locallyFiled: local > v.appealsUsed))
            // Points won back by a successful appeal no longer count (product choice; spec silent).
            if v.points != 0 && reason != "resolved" {
                // Saturating: each cell is at most 10^9 (data-formats.md), the sum never traps.
                let key = "\(CST.year(v.notifiedAt))\u{1}\(v.rule)"
                let (sum, over) = points[key, default: 0].addingReportingOverflow(v.points)
                points[key] = over ? Int.max : sum
            }
        }
        rows.sort { $0.notifiedAt != $1.notifiedAt ? $0.notifiedAt < $1.notifiedAt : $0.violationId < $1.violationId }
        let pts = points.map { k, p -> PointsRow in
            let parts = k.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            return PointsRow(year: Int(parts[0]) ?? 0, rule: parts.count > 1 ? parts[1] : "", points: p)
        }.sorted { $0.year != $1.year ? $0.year < $1.year : $0.rule < $1.rule }
        return (rows, pts)
    }
}

/// rules.md §6: the customer-service report ban ladder, per user and natural year.
enum ReportRules {
    static func run(_ reports: [CustomerReport], shopId: String?, asOf T: Instant, rulebook rb: Rulebook, work: WorkMeter? = nil) -> [ReportRow] {
        var visited = 0
        defer { work?.add("reports: rows visited", visited) }
        struct Key: Hashable { let user: String; let year: Int }
        var groups: [Key: [CustomerReport]] = [:]
        for r in reports where r.reportedAt <= T && r.result.trimmingSpaces() == "成功" {
            visited += 1
            groups[Key(user: r.userId, year: CST.year(r.reportedAt)), default: []].append(r)
        }
        var rows: [ReportRow] = []
        let ladder = rb.banLadderHours
        for (key, list) in groups {
            visited += list.count
            let sorted = list.sorted { $0.reportedAt != $1.reportedAt ? $0.reportedAt < $1.reportedAt : $0.reportId < $1.reportId }
            var perShop: [String: Int] = [:]
            var shopsSeen: [String] = []
            // (severity, end) of the most severe active ban; end nil = permanent.
            var best: (level: Int, end: Instant?)? = nil
            func consider(_ level: Int, _ end: Instant?) {
                if let e = end, T >= e { return } // expired
                guard let b = best else { best = (level, end); return }
                if level > b.level { best = (level, end) }
                else if level == b.level {
                    // On a tie, the later end (permanent is latest).
                    if b.end != nil && (end == nil || end! > b.end!) { best = (level, end) }
                }
            }
            for r in sorted {
                let shop = r.shopId ?? shopId ?? ""
                let n = perShop[shop, default: 0] + 1
                perShop[shop] = n
                if !shopsSeen.contains(shop) { shopsSeen.append(shop) }
                let step = min(n, ladder.count) - 1
                let hours = ladder[step]
                consider(step, hours < 0 ? nil : r.reportedAt + Int64(hours) * 3600)
                if shopsSeen.count >= rb.platformBanShops { consider(ladder.count, nil) }
            }
            let label: String
            if let b = best { label = b.level >= ladder.count ? rb.platformBanLabel : rb.banLadderLabels[b.level] } else { label = "none" }
            let maxN = perShop.values.max() ?? 0
            let next: String? = (best?.level ?? 0) >= ladder.count ? nil : (maxN < ladder.count ? rb.banLadderLabels[maxN] : nil)
            rows.append(ReportRow(userId: key.user, year: key.year, successes: sorted.count, ban: label,
                                  banUntil: best?.end, shops: shopsSeen.count, nextStep: next))
        }
        return rows.sorted { $0.userId != $1.userId ? $0.userId < $1.userId : $0.year < $1.year }
    }
}
