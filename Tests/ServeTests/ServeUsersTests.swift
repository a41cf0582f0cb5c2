import Crypto
import NIOSSH
import Testing
@testable import ShopdeckServe

@Suite("shopdeck serve: users file and what a session may run")
struct ServeUsersTests {
    static let edKey = String(openSSHPublicKey: NIOSSHPrivateKey(ed25519Key: .init()).publicKey)
    static let ecKey = String(openSSHPublicKey: NIOSSHPrivateKey(p256Key: .init()).publicKey)

    static func users(_ extra: String = "") throws -> ServeUsers {
        try ServeUsers.parse("""
        [[user]]
        name = "运营-小王"
        key = "\(edKey) wang@laptop"
        role = "operator"

        [[user]]
        name = "品牌方-李"
        keys = ["\(ecKey)"]
        role = "reviewer"
        shops = ["shopB", "shopC"]
        \(extra)
        """, file: "users.toml")
    }

    @Test func aUsersFileReadsAndKeysNameTheirUser() throws {
        let u = try Self.users()
        #expect(u.users.map(\.name) == ["运营-小王", "品牌方-李"])
        #expect(u.users.map(\.role) == [.operatorRole, .reviewer])
        #expect(u.users.map(\.shops) == [nil, ["shopB", "shopC"]])
        let key = try NIOSSHPublicKey(openSSHPublicKey: Self.ecKey)
        #expect(u.user(for: key)?.0.name == "品牌方-李")
        #expect(u.user(for: NIOSSHPrivateKey(ed25519Key: .init()).publicKey) == nil)
    }

    @Test(arguments: [
        ("[[user]]\nname = \"x\"\nkey = \"ssh-rsa AAAAB3NzaC1yc2E= x\"\nrole = \"operator\"",
         "users.toml: [[user]] 1 (x): ssh-rsa keys are not accepted: use ed25519 or ECDSA (ssh-keygen -t ed25519)"),
        ("[[user]]\nname = \"x\"\nkey = \"\(edKey)\"\nrole = \"admin\"", "users.toml: [[user]] 1 (x): role 'admin' is neither \"operator\" nor \"reviewer\""),
        ("[[user]]\nkey = \"\(edKey)\"\nrole = \"operator\"", "users.toml: [[user]] 1: name is missing: name = \"运营-小王\""),
        ("[[user]]\nname = \"x\"\nrole = \"operator\"", "users.toml: [[user]] 1 (x): no key: key = \"ssh-ed25519 AAAA…\" (the line of ~/.ssh/id_ed25519.pub)"),
        ("[[user]]\nname = \"x\"\nkey = \"ssh-ed25519 nonsense\"\nrole = \"operator\"", "users.toml: [[user]] 1 (x): the ssh-ed25519 key cannot be read: copy the whole line of the .pub file"),
        ("[[user]]\nname = \"x\"\nkey = \"\(edKey)\"\nrole = \"operator\"\npassword = \"1\"", "users.toml: [[user]] 1 (x): unknown key 'password' (name, key or keys, role, shops)"),
        ("[[user]]\nname = \"x\"\nkey = \"\(edKey)\"\nrole = \"operator\"\nshops = [\"../etc\"]", "users.toml: [[user]] 1 (x): shops holds something that is not a shop folder name"),
        ("[[user]]\nname = \"x\"\nkey = \"\(edKey)\"\nrole = \"operator\"\n[[user]]\nname = \"y\"\nkey = \"\(edKey)\"\nrole = \"reviewer\"",
         "users.toml: [[user]] 2 (y): this key already belongs to x; a key names one person"),
        ("", "users.toml: no [[user]]: add one with name, key and role"),
    ])
    func mistakesAreRefusedWithTheFix(_ text: String, _ message: String) {
        #expect(throws: ServeUsers.Problem.self) { try ServeUsers.parse(text, file: "users.toml") }
        do { _ = try ServeUsers.parse(text, file: "users.toml") } catch { #expect("\(error)" == message) }
    }

    @Test func sessionsRunTheDashboardOrAServedCommandWithTheUsersRights() throws {
        let u = try Self.users()
        let op = u.users[0], rev = u.users[1]
        let shop = SessionPlan.Served(data: "/srv/shopA", fleetShops: nil)
        let fleet = SessionPlan.Served(data: "/srv/fleet", fleetShops: ["shopA", "shopB", "shopC"])
        #expect(try SessionPlan.shell(op, shop, lang: "zh").arguments == ["dashboard", "--data", "/srv/shopA", "--lang", "zh"])
        #expect(try SessionPlan.shell(rev, fleet, lang: nil).arguments == ["dashboard", "--data", "/srv/fleet", "--only-shops", "shopB,shopC", "--read-only"])
        #expect(try SessionPlan.shell(op, fleet, lang: nil).arguments == ["dashboard", "--data", "/srv/fleet"])
        #expect(throws: SessionPlan.Refusal(description: "the shop shopA is not one of yours")) { try SessionPlan.shell(rev, shop, lang: nil) }
        // A list under `key` works like `keys`.
        let listed = try ServeUsers.parse("[[user]]\nname = \"x\"\nkey = [\"\(Self.edKey)\", \"\(Self.ecKey)\"]\nrole = \"reviewer\"\nshops = \"*\"", file: "u.toml")
        #expect(listed.users[0].keys.count == 2 && listed.users[0].shops == nil)
        #expect(try SessionPlan.exec("check --as-of '2026-11-24 16:00:00'", rev, fleet).arguments
                == ["check", "--data", "/srv/fleet", "--only-shops", "shopB,shopC", "--as-of", "2026-11-24 16:00:00", "--read-only"])
        #expect(try SessionPlan.exec("appeals file --shop shopA --violation WG1 --statement \"已 发货\"", op, fleet).arguments
                == ["appeals", "file", "--data", "/srv/fleet/shopA", "--violation", "WG1", "--statement", "已 发货"])
        #expect(try SessionPlan.exec("report --shop shopB --format json", rev, fleet).arguments == ["report", "--data", "/srv/fleet/shopB", "--format", "json", "--read-only"])
        for (cmd, why) in [("appeals file --violation WG1", "a reviewer files no appeal (review mode)"),
                           ("report --journal /tmp/x", "--journal is set by the server"),
                           ("report --data=/etc", "--data is set by the server"),
                           ("appeals list --shop shopA", "the shop shopA is not one of yours (yours: shopB, shopC)"),
                           ("report $(id)", "'$': no shell here; one command with its flags"),
                           ("inspect orders.csv", "'inspect orders.csv' is not served: run report, check, history, appeals list"),
                           ("report --evidence ../x", "'../x': paths are relative to the shop folder and stay inside it"),
                           ("", "no command: run report, check, history or appeals list")] {
            #expect(throws: SessionPlan.Refusal(description: why)) { try SessionPlan.exec(cmd, rev, fleet) }
        }
    }

    @Test func fingerprintsAreOpenSSHs() throws {
        // A key and the fingerprint `ssh-keygen -lf` printed for it.
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3Eo4t9eGwEwyJNu2m13a6OGJVmzISxeK5tBnQeklL5"
        #expect(ServeUsers.fingerprint(try NIOSSHPublicKey(openSSHPublicKey: line)) == "SHA256:lcIgXzib8w2V7Dz/rrs5fdgjgI9y5D4o5U67OBpaiG8")
    }
}
