import XCTest
final class HostileInputTests: XCTestCase { func testNothing() {} }
