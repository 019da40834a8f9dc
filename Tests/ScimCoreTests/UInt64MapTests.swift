@testable import ScimCore
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
            case 3 where map.find(key) == nil:
                map.insertNew(key, step)
                reference[key] = step
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

    @Test func aCopyIsIndependentOfTheOriginal() {
        var original = UInt64Map<Int>(vacant: -1)
        for k in 1...100 { original[UInt64(k) &* 0x9E37_79B9_7F4A_7C15] = k }
        var copy = original
        copy[UInt64(7) &* 0x9E37_79B9_7F4A_7C15] = nil
        copy.replace(at: copy.find(UInt64(8) &* 0x9E37_79B9_7F4A_7C15)!, with: -8)
        copy[12345] = 1
        #expect(original.count == 100 && copy.count == 100)
        #expect(original[UInt64(7) &* 0x9E37_79B9_7F4A_7C15] == 7 && original[UInt64(8) &* 0x9E37_79B9_7F4A_7C15] == 8)
        #expect(original[12345] == nil && copy[12345] == 1 && copy[UInt64(8) &* 0x9E37_79B9_7F4A_7C15] == -8)
    }

    @Test func tableSlotsStartOnACacheLineAndLargeTablesOnAHugePage() {
        for count in [16, 1000, 1 << 17] {
            let table = LargeTable<(key: UInt64, value: OperationFacts)>(repeating: (0, .vacant), count: count)
            let address = Int(bitPattern: UnsafeRawPointer(table.elements))
            #expect(address % 64 == 0)
            if count * 32 >= 2 << 20 { #expect(address % (2 << 20) == 0) }
            #expect((0..<count).allSatisfy { table.elements[$0].key == 0 })
        }
    }
}
