import Testing
@Test func placeholderEndToEndTests() { #expect(true) }
