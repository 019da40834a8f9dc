@testable import ScimCore
import Testing

@Suite struct ChunkedFIFOTests {
    /// Random runs of appends and removals, across many chunk boundaries and through empty, against an
    /// array; a copy taken midway stays as it was while the original goes on.
    @Test func behavesLikeAnArrayUsedAsAQueue() {
        var queue = ChunkedFIFO(filler: 0)
        var reference: [Int] = []
        var random = SplitMix(seed: 3)
        var next = 0
        var copy: (queue: ChunkedFIFO<Int>, elements: [Int])?
        for step in 0..<400 {
            let appends = Int(random.next() % 2000)
            for _ in 0..<appends {
                queue.append(next)
                reference.append(next)
                next += 1
            }
            let removals = Int(random.next() % UInt64(reference.count + 1 + (step % 7 == 0 ? 2000 : 0)))
            for _ in 0..<min(removals, reference.count) {
                #expect(queue.removeFirst() == reference.removeFirst())
            }
            #expect(queue.count == reference.count)
            #expect(queue.first == reference.first && queue.last == reference.last)
            if step == 200 { copy = (queue, reference) }
        }
        #expect(queue.elements == reference)
        #expect(copy!.queue.elements == copy!.elements)
    }

    @Test func removingWhileAConditionHoldsStopsAtTheFirstThatFails() {
        var queue = ChunkedFIFO(filler: 0)
        for v in [1, 2, 3, 10, 4, 5] { queue.append(v) }
        #expect(queue.removeFirst { $0 < 5 } == 3)
        #expect(queue.elements == [10, 4, 5])
        #expect(queue.removeFirst { _ in true } == 3)
        #expect(queue.isEmpty && queue.first == nil && queue.last == nil)
    }

    @Test func appendingToACopyLeavesTheOriginalAlone() {
        var original = ChunkedFIFO(filler: 0)
        for v in 0..<10 { original.append(v) }
        var copy = original
        copy.append(99) // into the chunk both share
        _ = copy.removeFirst()
        original.append(10)
        #expect(original.elements == Array(0...10))
        #expect(copy.elements == Array(1..<10) + [99])
        // Emptied while shared: starts again in memory of its own.
        var drained = original
        while !drained.isEmpty { drained.removeFirst() }
        drained.append(-1)
        #expect(original.elements == Array(0...10) && drained.elements == [-1])
    }
}
