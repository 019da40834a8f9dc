#if canImport(Glibc)
import Glibc
#endif
import ScimCore

extension FileTailer {
    /// Reads what is new in every open file and delivers complete lines. Reads at most `budget` bytes
    /// in all, so the caller can checkpoint regularly. Returns the number of bytes read.
    @discardableResult
    public func read<S: TailSink>(into sink: inout S, budget: Int = 8 << 20) -> Int {
        var total = 0
        for file in trackedFiles {
            total += read(file, into: &sink, budget: budget - total)
            if total >= budget { break }
        }
        forgetDrainedFiles()
        return total
    }

    /// Delivers the partial last line of every file as a line of its own: for replay, where a file
    /// that ends without a newline is finished.
    public func flushPartialLines<S: TailSink>(into sink: inout S) {
        for file in trackedFiles where !file.carry.isEmpty && file.discarding == 0 {
            file.carry.withUnsafeBytes { sink.receive(lines: $0, source: sourceIndex) }
            file.offset += Int64(file.carry.count)
            file.carry.removeAll()
        }
    }

    private func read<S: TailSink>(_ file: TrackedFile, into sink: inout S, budget: Int) -> Int {
        let base = buffer.baseAddress!
        let capacity = buffer.count
        var total = 0
        while total < budget {
            // The held partial line goes first, then new bytes after it.
            let held = file.carry.count
            if held > 0 { file.carry.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: held) } }
            let n = pread(file.descriptor, base + held, capacity - held, off_t(file.readOffset))
            if n < 0 {
                if errno == EINTR { continue }
                recordError(TailError(path: file.path, operation: "read", errno: errno))
                break
            }
            if n == 0 { break }
            file.noteRead(UnsafeRawBufferPointer(start: base + held, count: n), at: file.readOffset,
                          limit: configuration.fingerprintBytes)
            total += n
            file.size = max(file.size, file.readOffset + Int64(n))
            var start = 0
            let end = held + n
            if file.discarding > 0 {
                // Skipping an overlong line: drop bytes up to and including its newline.
                guard let nl = memchr(base + held, 0x0A, n) else {
                    file.discarding += Int64(n)
                    continue
                }
                let skipped = (nl - (base + held)) + 1
                sink.receiveOverlongLine(bytes: Int(file.discarding) + skipped, source: sourceIndex)
                file.offset += file.discarding + Int64(skipped)
                file.discarding = 0
                start = held + skipped
            }
            let region = UnsafeRawPointer(base + start)
            let length = end - start
            if let last = lastNewline(region, length) {
                let complete = last + 1
                sink.receive(lines: UnsafeRawBufferPointer(start: region, count: complete), source: sourceIndex)
                file.offset += Int64(complete)
                file.carry = Array(UnsafeRawBufferPointer(start: region + complete, count: length - complete))
            } else {
                file.carry = Array(UnsafeRawBufferPointer(start: region, count: length))
            }
            if file.carry.count > configuration.maxLineBytes {
                // No newline within the limit: stop buffering and skip to the end of this line.
                file.discarding = Int64(file.carry.count)
                file.carry.removeAll()
            }
        }
        return total
    }
}

/// The offset of the last `\n` in the region (the newline is usually close to the end).
@inline(__always)
func lastNewline(_ region: UnsafeRawPointer, _ length: Int) -> Int? {
    let bytes = region.assumingMemoryBound(to: UInt8.self)
    var i = length - 1
    while i >= 0 {
        if bytes[i] == 0x0A { return i }
        i -= 1
    }
    return nil
}
