import ScimCore
import Testing

@Suite struct UInt64MapTests {
    @Test func behavesLikeADictionaryUnderRandomInsertsAndRemovals() {
        var map = UInt64Map<Int>(vacant: -1)
        var reference: [UInt64: Int] = [:]
        var random = SplitMix(seed: 3)
        for step in 0..<200_000 {
            // A small key space forces collisions, long probe runs and many backward shifts.
            let key = random.next() % 5000 &* 0x9E37_79B9_7F4A_7C15 | 1
            switch random.next() % 6 {
            case 0:
                #expect(map.remove(key) == reference.removeValue(forKey: key))
            case 1:
                // By slot: find once, read and remove there.
                let slot = map.find(key)
                #expect(slot.map(map.value(at:)) == reference.removeValue(forKey: key))
                if let slot { map.remove(at: slot) }
            case 2 where map.find(key) != nil:
                map.replace(at: map.find(key)!, with: -step)
                reference[key] = -step
            default:
                map[key] = step
                reference[key] = step
            }
        }
        #expect(map.count == reference.count)
        for (key, value) in reference { #expect(map[key] == value) }
        #expect(Set(map.keys) == Set(reference.keys))
    }
}
