/// The rule engine's units of work, counted inside its loops: rows and refunds visited, stages
/// judged, bytes scanned by the copy check's automaton, products a coupon's range queries and
/// examples touch, reports grouped. Issue 18 asks that nothing be quadratic anywhere, checked
/// by counting work as the rows grow tenfold, never by timing. Passed to `Engine.run` by the
/// test and the benchmark; nil (nothing counted) otherwise. Used by one thread at a time:
/// the two-core shipping pass counts per share, and the sections `Engine.run` runs side by
/// side count in meters of their own, all added after joining.
public final class WorkMeter {
    public private(set) var bySection: [String: Int] = [:]

    public init() {}

    public var total: Int { bySection.values.reduce(0, +) }

    public func add(_ section: String, _ units: Int) { bySection[section, default: 0] += units }
}
