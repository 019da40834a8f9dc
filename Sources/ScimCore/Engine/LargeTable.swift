#if canImport(Glibc)
import Glibc
#endif

/// The fixed-size slot array of a hash table probed at random, aligned for the cache: a reference type
/// that its owning (value type) table copies on write with ``copy()``, after checking
/// `isKnownUniquelyReferenced` once per mutating call.
///
/// Hand-made because a Swift `Array` cannot be aligned: its elements start 32 bytes after a 16-byte
/// aligned allocation, so half of the correlator's 32-byte slots straddled two cache lines (two misses
/// per lookup, two prefetches per event). Here slots start at a multiple of 64 bytes, and of 2 MiB when
/// the table is 2 MiB or more; such a table's memory is then marked for transparent huge pages before
/// it is first written (`madvise`; Linux's default is to grant them to regions that ask), so that each
/// probe needs one TLB entry per 2 MiB instead of per 4 KiB, and a prefetch does not wait on a page
/// walk. Where the kernel refuses, it is plain memory.
final class LargeTable<Element>: @unchecked Sendable {
    /// `count` elements, initialized.
    let elements: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        self.count = count
        elements = Self.allocate(count)
        elements.initialize(repeating: value, count: count)
    }

    private init(copying other: LargeTable) {
        count = other.count
        elements = Self.allocate(count)
        elements.initialize(from: other.elements, count: count)
    }

    /// A table of the same elements in memory of its own.
    func copy() -> LargeTable { LargeTable(copying: self) }

    deinit {
        elements.deinitialize(count: count)
        elements.deallocate()
    }

    private static var hugePage: Int { 2 << 20 }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
        let bytes = max(count * MemoryLayout<Element>.stride, 64)
        let huge = bytes >= hugePage
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge ? hugePage : 64)
        #if os(Linux)
        if huge { _ = madvise(raw, bytes & ~(hugePage - 1), MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: Element.self, capacity: count)
    }
}
