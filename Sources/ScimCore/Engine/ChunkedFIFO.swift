/// A first-in first-out queue of plain values in chunks: appended at the back, dropped from the front,
/// read in order. For the operation latency window and the correlator's open-time queues, which grow to
/// hundreds of thousands of entries in a busy hour.
///
/// Hand-written because an `Array` used as a queue (append, and `removeFirst` once the dropped part is
/// large) copies everything it holds each time it doubles and each time it compacts, and each doubling
/// takes fresh memory, whose page faults come on top of the copies. Here nothing is ever copied: chunks double in size up to
/// ``maxChunk`` elements (2 MiB of 16-byte entries, which ``LargeTable`` backs with a huge page), a
/// drained chunk is dropped, and the last full-size one dropped is kept to be reused.
/// `@unchecked Sendable` for the pointer to the oldest chunk's elements: that chunk is owned by the queue
/// (a copy of the queue shares it, and neither writes into a shared chunk).
struct ChunkedFIFO<Element>: @unchecked Sendable where Element: BitwiseCopyable & Sendable {
    static var firstChunk: Int { 256 }
    static var maxChunk: Int { max(firstChunk, (2 << 20) / max(MemoryLayout<Element>.stride, 1)) }

    /// Chunks filled before the one being written, oldest first, and the one being written (`nil` before
    /// the first append): kept apart so that an append checks one reference, not an array and its element.
    private var full: [LargeTable<Element>] = []
    private var writing: LargeTable<Element>?
    /// The first live element's index in the oldest chunk, and the end of the live elements in `writing`.
    private var head = 0
    private var tail = 0
    private var spare: LargeTable<Element>?
    /// The elements and size of the oldest chunk (`full.first ?? writing`), kept so that reading and
    /// removing at the front take no reference to it (retaining and releasing it was most of a removal).
    private var oldest: UnsafeMutablePointer<Element>?
    private var oldestSize = 0
    private let filler: Element
    private(set) var count = 0

    /// `filler` initializes new chunks; it is never read.
    init(filler: Element) { self.filler = filler }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    var first: Element? { count == 0 ? nil : oldest![head] }
    @inline(__always)
    var last: Element? { count == 0 ? nil : writing!.elements[tail - 1] }

    @inline(__always)
    mutating func append(_ element: Element) {
        if writing == nil || tail == writing!.count {
            startChunk()
        } else if !isKnownUniquelyReferenced(&writing!) {
            writing = writing!.copy() // a copy of this queue shares it
            noteOldest()
        }
        writing!.elements[tail] = element
        tail += 1
        count += 1
    }

    private mutating func startChunk() {
        let size = writing.map { min($0.count * 2, Self.maxChunk) } ?? Self.firstChunk
        if let writing { full.append(writing) }
        if size == Self.maxChunk, let reused = spare {
            spare = nil
            writing = reused
        } else {
            writing = LargeTable(repeating: filler, count: size)
        }
        tail = 0
        if count == 0 { head = 0 }
        noteOldest()
    }

    private mutating func noteOldest() {
        let chunk = full.first ?? writing
        oldest = chunk?.elements
        oldestSize = chunk?.count ?? 0
    }

    @discardableResult
    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst of an empty ChunkedFIFO")
        let element = oldest![head]
        head += 1
        count -= 1
        if count == 0 {
            // Empty, so only the chunk being written is left: start again at its beginning, or without it
            // when a copy of this queue still reads it.
            head = 0
            tail = 0
            if !isKnownUniquelyReferenced(&writing!) { writing = nil }
            noteOldest()
        } else if head == oldestSize, !full.isEmpty {
            recycle(full.removeFirst())
            head = 0
            noteOldest()
        }
        return element
    }

    /// Removes elements from the front while `shouldRemove` holds for the first; returns how many.
    @discardableResult
    mutating func removeFirst(while shouldRemove: (Element) -> Bool) -> Int {
        var removed = 0
        while let f = first, shouldRemove(f) {
            removeFirst()
            removed += 1
        }
        return removed
    }

    /// Calls `body` with the elements, oldest first, as the runs of memory that hold them (valid only
    /// within `body`): for loops over many elements, which a call per element slows.
    func withBuffers<R>(_ body: ([UnsafeBufferPointer<Element>]) -> R) -> R {
        guard count > 0, let writing else { return body([]) }
        let chunks = full + [writing]
        let buffers = chunks.indices.map { i in
            let start = i == 0 ? head : 0
            let end = i == chunks.count - 1 ? tail : chunks[i].count
            return UnsafeBufferPointer(start: chunks[i].elements + start, count: end - start)
        }
        return withExtendedLifetime(chunks) { body(buffers) }
    }

    var elements: [Element] { withBuffers { $0.flatMap { Array($0) } } }

    private mutating func recycle(_ chunk: LargeTable<Element>) {
        var chunk = chunk
        if chunk.count == Self.maxChunk, isKnownUniquelyReferenced(&chunk) { spare = chunk }
    }
}
