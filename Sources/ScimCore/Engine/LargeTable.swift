#if canImport(Glibc)
import Glibc
#endif

/// An array of `count` copies of `value` for a hash table probed at random. When it is large (2 MiB or
/// more), its memory is marked for transparent huge pages before it is first written (`madvise`;
/// Linux's default is to grant them to regions that ask), so that each probe needs one TLB entry per
/// 2 MiB instead of per 4 KiB: the profile showed the duplicate window's prefetches waiting on page
/// walks. Elsewhere, or where the kernel refuses, it is a plain array.
func largeTable<T>(repeating value: T, count: Int) -> [T] {
    Array(unsafeUninitializedCapacity: count) { buffer, initialized in
        #if os(Linux)
        let bytes = count * MemoryLayout<T>.stride
        if bytes >= 2 << 20, let base = buffer.baseAddress {
            let page = UInt(4096)
            let start = (UInt(bitPattern: base) + page - 1) & ~(page - 1)
            let end = (UInt(bitPattern: base) + UInt(bytes)) & ~(page - 1)
            if end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) {
                _ = madvise(pointer, Int(end - start), MADV_HUGEPAGE)
            }
        }
        #endif
        buffer.initialize(repeating: value)
        initialized = count
    }
}
