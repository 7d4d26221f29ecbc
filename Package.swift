// swift-tools-version:6.1
//
// libcarnet: the C-callable plugin a host EHR loads to work with a shared
// electronic vaccination record. See docs/architecture.md for the layering:
//
//   include/carnet.h (CCarnet)      the hand-written C contract
//   CCurl, COpenSSL, CSQLite         system C libraries + typed shims
//   CarnetJSON                       strict, bounded JSON (pure Swift)
//   CarnetCatalogue                  vaccine catalogue + recommendations (pure Swift)
//   CarnetWire                       the wire vocabulary shared with carnet-sandbox (pure Swift)
//   CarnetCore                       model, store, transport, credentials, sync
//   CarnetABI                        the C boundary only: @c @implementation of carnet.h
//
// No Swift package dependencies, no Foundation: the .so carries only the Swift
// runtime (linked statically by `make`, see Makefile).
import PackageDescription

/// Absolute directory of this package, so the linker finds the export fence
/// whatever directory SwiftPM links from.
let packageDirectory: String = {
    let file = #filePath
    guard let slash = file.lastIndex(of: "/") else { return "." }
    return String(file[..<slash])
}()

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "carnet",
    products: [
        .library(name: "carnet", type: .dynamic, targets: ["CarnetABI"]),
        // For carnet-sandbox (sandbox/Package.swift), which shares the catalogue and JSON code.
        .library(name: "CarnetCatalogue", targets: ["CarnetCatalogue"]),
        .library(name: "CarnetJSON", targets: ["CarnetJSON"]),
        // The wire vocabulary (operations, headers, code systems, FHIR builders) both sides share.
        .library(name: "CarnetWire", targets: ["CarnetWire"]),
    ],
    targets: [
        // The public contract. Header-only: include/carnet.h is the module.
        .target(name: "CCarnet", path: "include", publicHeadersPath: "."),

        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "COpenSSL", linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        .target(name: "CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),

        .target(name: "CarnetJSON", swiftSettings: strictSwift),
        .target(name: "CarnetCatalogue", dependencies: ["CarnetJSON"], swiftSettings: strictSwift),
        .target(name: "CarnetWire", dependencies: ["CarnetJSON"], swiftSettings: strictSwift),
        .target(
            name: "CarnetCore",
            dependencies: ["CarnetJSON", "CarnetCatalogue", "CarnetWire", "CCurl", "COpenSSL", "CSQLite"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CarnetABI",
            dependencies: ["CCarnet", "CarnetCore"],
            swiftSettings: strictSwift,
            linkerSettings: [
                .unsafeFlags([
                    "-Xlinker", "--version-script=\(packageDirectory)/carnet.map",
                    "-Xlinker", "-soname=libcarnet.so.1",
                ]),
            ]
        ),

        // `make bench`: catalogue search latency over a full NUVA import.
        .executableTarget(name: "carnet-catalogue-bench", dependencies: ["CarnetCatalogue"], path: "Benchmarks/CatalogueBench"),

        .testTarget(name: "CarnetJSONTests", dependencies: ["CarnetJSON"]),
        .testTarget(name: "CarnetCatalogueTests", dependencies: ["CarnetCatalogue", "CarnetJSON"]),
        .testTarget(name: "CarnetWireTests", dependencies: ["CarnetWire", "CarnetJSON", "CarnetCatalogue"]),
        .testTarget(name: "CarnetCoreTests", dependencies: ["CarnetCore", "CarnetCatalogue", "CarnetJSON", "CarnetWire"]),
    ],
    swiftLanguageModes: [.v6]
)
