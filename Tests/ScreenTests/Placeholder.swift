import Testing
@Test func placeholderScreenTests() { #expect(true) }
