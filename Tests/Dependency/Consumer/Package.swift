// swift-tools-version:6.0
// A package outside Tinify's repository that depends on it as its users do: by git URL and
// version (`from: "0.2.0"`). Tests/Dependency/check.sh sets TINIFY_GIT_URL to a clone tagged
// 0.2.0 and builds this, which fails if any Tinify target carries unsafe build flags.
import PackageDescription

let url = Context.environment["TINIFY_GIT_URL"] ?? "https://github.com/tinify/tinify"

let package = Package(
    name: "consumer",
    dependencies: [
        .package(url: url, from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(name: "consumer", dependencies: [.product(name: "Tinify", package: "tinify")]),
        // The `tinify` command's sources, copied here by check.sh: built outside Tinify's package,
        // they can use nothing but Tinify's public API (and argument parsing).
        .executableTarget(name: "tinify-public", dependencies: [
            .product(name: "Tinify", package: "tinify"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
