import Testing

@testable import EngineIO

@Suite("Random id generator")
struct RandomIDGeneratorTests {
    static let urlSafeAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test("Ids are 20 URL-safe base64 characters")
    func shape() {
        let generator = RandomIDGenerator()
        for _ in 0..<1000 {
            let id = generator.next()
            #expect(id.count == 20)
            #expect(id.utf8.count == 20)
            #expect(id.allSatisfy { Self.urlSafeAlphabet.contains($0) }, "\(id) has a character outside the URL-safe alphabet")
        }
    }

    @Test("10,000 ids are all different")
    func uniqueness() {
        let generator = RandomIDGenerator()
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == 10_000)
    }

    @Test("Every character of the alphabet shows up in every position")
    func usesTheWholeAlphabet() {
        // 10,000 ids give 10,000 samples per position; with 64 equally likely characters the chance that
        // one never appears in a given position is about 64 * (63/64)^10000, i.e. negligible.
        let generator = RandomIDGenerator()
        var seen = Array(repeating: Set<Character>(), count: 20)
        for _ in 0..<10_000 {
            for (position, character) in generator.next().enumerated() { seen[position].insert(character) }
        }
        for (position, characters) in seen.enumerated() {
            #expect(characters == Self.urlSafeAlphabet, "position \(position) only saw \(characters.count) characters")
        }
    }
}
