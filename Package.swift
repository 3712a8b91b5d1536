// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Anxin",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "anxin", targets: ["anxin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // System libraries, from Debian's packages.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        .systemLibrary(
            name: "CLibXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CLibQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev", "zlib1g-dev"])]
        ),

        // The deflate level and threads of libxlsxwriter's zip entries, and the buffers of its
        // temporary files, which the library does not expose.
        .target(name: "CZipLevel", linkerSettings: [.linkedLibrary("z"), .linkedLibrary("pthread")]),

        // Swift-safe wrappers: the only targets that touch the C libraries.
        .target(name: "CSV", dependencies: ["CLibCSV"]),
        .target(name: "XLSX", dependencies: ["CLibXlsxWriter", "CZipLevel"]),
        .target(name: "QRCode", dependencies: ["CLibQREncode"]),

        // The market's model and stages, pure: no files, no C.
        .target(name: "AnxinCore"),

        // The edges: configuration, inputs and outputs, the stages' runner.
        .target(
            name: "AnxinKit",
            dependencies: [
                "AnxinCore", "CSV", "QRCode", "XLSX",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // The command line.
        .executableTarget(
            name: "anxin",
            dependencies: [
                "AnxinKit", "AnxinCore", "CSV",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "CSVTests", dependencies: ["CSV"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX"]),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "CLibQREncode"]),
        .testTarget(name: "AnxinCoreTests", dependencies: ["AnxinCore"]),
        .testTarget(name: "AnxinKitTests", dependencies: ["AnxinKit", "AnxinCore", "CSV"]),
        .testTarget(name: "anxinTests", dependencies: ["anxin"]),
    ]
)
