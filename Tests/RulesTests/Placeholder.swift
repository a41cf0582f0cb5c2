import Testing
@Test func placeholderRulesTests() { #expect(true) }
