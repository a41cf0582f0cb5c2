import Testing
import ShopdeckModel

/// data-formats.md "waybills", rules.md §1 (pickup): what the waybill rows give the orders.
@Suite("Waybills")
struct WaybillTests {
    @Test func anOrderWithoutItsOwnPickupTakesItsEarliestWaybillScan() {
        let dir = makeFolder([
            // A1's own file has a pickup column: its waybills change nothing.
            "orders-a.csv": "order_id,paid_at,promised_ship_at,status,shipped_at,picked_up_at\nA1,2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00,2023-02-27 20:00:00\n",
            "orders-b.csv": """
                order_id,paid_at,promised_ship_at,status,shipped_at
                B1,2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00
                B2,2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00
                B3,2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00
                B4,2023-02-27 10:00:00,2023-02-28 10:00:00,已发货,2023-02-27 12:00:00

                """,
            "waybills.csv": """
                order_id,waybill_no,picked_up_at
                A1,SF0,2023-02-27 13:00:00
                B1,SF1,2023-02-27 15:00:00
                B2,SF2,2023-02-27 14:00:00
                B1,SF3,2023-02-27 13:00:00
                B3,SF4,
                B2,SF5,
                X9,SF6,2023-02-27 13:00:00
                B1,SF7,2023-02-27 18:00:00

                """,
        ])
        let s = DataLoader.load(folder: dir)
        #expect(s.errors.isEmpty)
        var orders = s.orders
        orders.applyWaybills(s.waybills)
        func pickup(_ id: String) -> String {
            let r = Int(orders.ids.find(id)!)
            let t = orders.pickedUp[r]
            return (orders.flags[r].contains(.pickupKnown) ? "known " : "unknown ") + (t == .absent ? "none" : CST.format(t))
        }
        #expect(["A1", "B1", "B2", "B3", "B4"].map(pickup) == [
            "known 2023-02-27 20:00:00",   // its own file's pickup
            "known 2023-02-27 13:00:00",   // the earliest of three scans
            "known 2023-02-27 14:00:00",   // a row without a scan after one changes nothing
            "known none",                  // a waybill without a scan yet: known, never picked up
            "unknown none",                // no waybill
        ])
        #expect(orders.count == 5)   // a waybill of an order not loaded adds none
        // The snapshot's own table is left as it was (the engine applies them to its copy).
        #expect(s.orders.pickedUp[Int(s.orders.ids.find("B1")!)] == .absent)
    }
}
