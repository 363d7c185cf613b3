import XCTest
final class ReaderTests: XCTestCase { func testNothing() {} }
