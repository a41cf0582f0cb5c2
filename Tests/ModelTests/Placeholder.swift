import Testing
@Test func placeholderModelTests() { #expect(true) }
