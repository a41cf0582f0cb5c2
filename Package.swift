// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "shopdeck",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shopdeck", targets: ["shopdeck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // `shopdeck serve`: an SSH server of its own (issue 17).
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssh", exact: "0.15.1"),
        // Golden screens (issue 14): every screen's text and styles, compared whole.
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", exact: "1.19.7"),
    ],
    targets: [
        // Tiny C shim for the ncurses macros and globals Swift cannot import, and the
        // signal handlers that restore the terminal.
        .target(name: "CShim", linkerSettings: [.linkedLibrary("ncursesw")]),
        // The CSV parser's 64-byte delimiter bitmap (SSE2), which Swift cannot ask for.
        .target(name: "CScan"),
        // The alerts' HTTP POST through the system's libcurl, opened only when one is sent.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Pure model layer: CSV bytes -> typed columnar tables; times; regions.
        // Exclusivity checks cost ~8% of load time on the per-cell hot path; the model's
        // mutable state is confined to one loader at a time.
        // swift-crypto: SHA-512 and AES-CBC for encrypted (Office agile) workbooks.
        .target(name: "ShopdeckModel", dependencies: [
            "CScan",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Pure rule engine: rulebook + snapshot + as-of -> report value (and its JSON).
        .target(name: "ShopdeckRules", dependencies: ["ShopdeckModel"]),
        // Pure screen layer: cell buffer, display width, widgets, themes.
        .target(name: "ShopdeckScreen"),
        // The app: state, actions, views, demo data.
        .target(name: "ShopdeckApp", dependencies: [
            "ShopdeckModel", "ShopdeckRules", "ShopdeckScreen", "CCurl", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // `shopdeck serve`: public-key SSH (swift-nio-ssh), users file, sessions on a pty, audit.
        .target(name: "ShopdeckServe", dependencies: [
            "ShopdeckApp", "ShopdeckRules", "ShopdeckModel", "CShim",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSH", package: "swift-nio-ssh"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Thin ncurses backend: copies a buffer to the terminal, reads keys.
        .target(name: "ShopdeckTerminal", dependencies: ["CShim", "ShopdeckScreen"]),
        .executableTarget(name: "shopdeck", dependencies: [
            "ShopdeckApp", "ShopdeckTerminal", "ShopdeckRules", "ShopdeckModel", "ShopdeckScreen", "CShim", "ShopdeckServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test support: folders the tests write into, removed when the test process exits.
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "ModelTests", dependencies: [
            "ShopdeckModel", "TestScratch", "CScan", .product(name: "PropertyBased", package: "swift-property-based"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "RulesTests", dependencies: [
            "ShopdeckRules", "ShopdeckModel", "TestScratch", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "ScreenTests", dependencies: ["ShopdeckScreen", "TestScratch", "ShopdeckApp", "ShopdeckRules", "ShopdeckModel",
                                                    .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "AppTests", dependencies: ["ShopdeckApp", "TestScratch", "ShopdeckRules", "ShopdeckModel", "ShopdeckTerminal", "ShopdeckScreen",
                                                 .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "EndToEndTests", dependencies: ["shopdeck", "TestScratch", "ShopdeckScreen", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "ServeTests", dependencies: ["ShopdeckServe", "TestScratch", "ShopdeckApp", .product(name: "NIOSSH", package: "swift-nio-ssh"), .product(name: "Crypto", package: "swift-crypto")]),
    ]
)
