extension SLOEngine {
    /// Per-minute counts, totals and alert states, for the checkpoint's `slo` section.
    public func encodedState() -> [UInt8] {
        var w = StateWriter()
        w.write(trackers.count)
        for t in trackers {
            w.write(t.definition.name)
            w.write(t.eventsTotal)
            w.write(t.badTotal)
            w.write(t.minutes.newestMinute)
            let minutes = t.minutes.nonEmptyMinutes
            w.write(minutes.count)
            for (m, total, bad) in minutes {
                w.write(m)
                w.write(UInt64(total) << 32 | UInt64(bad))
            }
        }
        w.appendRaw(alerts.encoded())
        return w.bytes
    }

    /// Restores what ``encodedState()`` wrote; SLOs no longer configured are skipped, new ones start empty.
    public mutating func restoreState(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        for _ in 0..<(try r.readInt()) {
            let name = try r.readString()
            let events = try r.readUInt64()
            let bad = try r.readUInt64()
            let newest = try r.readInt64()
            var minutes: [(Int64, UInt32, UInt32)] = []
            for _ in 0..<(try r.readInt()) {
                let m = try r.readInt64()
                let packed = try r.readUInt64()
                minutes.append((m, UInt32(truncatingIfNeeded: packed >> 32), UInt32(truncatingIfNeeded: packed)))
            }
            guard let i = trackers.firstIndex(where: { $0.definition.name == name }) else { continue }
            trackers[i].eventsTotal = events
            trackers[i].badTotal = bad
            if newest != .min { trackers[i].minutes.restore(newestMinute: newest, minutes: minutes) }
        }
        var states = AlertStates()
        try states.restore(r.readRaw(r.remaining))
        alerts = states
    }
}
