import XCTest
final class FormatTestsPlaceholder: XCTestCase { func testBuilds() {} }
