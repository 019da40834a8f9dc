/// Poll readings per hour of UTC over the last 15 days, for the weekly report's "queue backlog and drift
/// by day": per queue the largest and the last depth and dead letters read, per reconciler target the
/// largest and the last drift (missing + orphaned + mismatched records of a finished run). Hours are
/// folded into days of any time zone when a report is computed, as ``HourlyActivity`` is. Persisted in
/// the checkpoint's `poll_hourly` section.
///
/// Bounded: ``keptHours`` hours, and at most ``maxNames`` queues and ``maxNames`` targets per hour (a
/// further name is not kept for that hour). Queue readings are keyed by the poll's time; a run's drift
/// by the time the run finished (the poll's time when it gives none), so a run polled many times counts
/// as one value and a run that ended before midnight belongs to that day.
public struct PollHistory: Sendable, Equatable {
    /// Hours kept: two weeks and a day.
    public static let keptHours: Int64 = 15 * 24
    /// Queues and targets kept per hour.
    public static let maxNames = 32

    /// The largest and the last value read over some time.
    public struct Gauge: Sendable, Equatable {
        public var max: Double
        public var last: Double
        /// When ``last`` was read (epoch ms).
        public var lastAt: Int64

        public init(_ value: Double, at time: Int64) {
            max = value
            last = value
            lastAt = time
        }

        mutating func add(_ value: Double, at time: Int64) {
            max = Swift.max(max, value)
            if time >= lastAt {
                last = value
                lastAt = time
            }
        }

        mutating func merge(_ other: Gauge) {
            max = Swift.max(max, other.max)
            if other.lastAt >= lastAt {
                last = other.last
                lastAt = other.lastAt
            }
        }
    }

    /// One queue over some time: how many readings, the depth (backlog) and the dead letters (when the
    /// endpoint reports them).
    public struct Queue: Sendable, Equatable {
        public var readings: UInt64
        public var depth: Gauge
        public var deadLetters: Gauge?

        mutating func merge(_ other: Queue) {
            readings += other.readings
            depth.merge(other.depth)
            if let d = other.deadLetters {
                if deadLetters == nil { deadLetters = d } else { deadLetters!.merge(d) }
            }
        }
    }

    /// What some hours saw, by queue name and by target.
    public struct Summary: Sendable, Equatable {
        public var queues: [String: Queue] = [:]
        public var drift: [String: Gauge] = [:]

        public init() {}
    }

    /// Summaries by hour (epoch ms / 3,600,000).
    public private(set) var hours: [Int64: Summary] = [:]
    private var newestHour: Int64 = .min

    public init() {}

    /// Records one good poll answer read at `now` (epoch ms).
    public mutating func record(_ reading: PollReading, at now: Int64) {
        for q in reading.queues {
            update(hour: now.floorDiv(3_600_000)) { s in
                if var queue = s.queues[q.name] {
                    queue.readings += 1
                    queue.depth.add(q.depth, at: now)
                    if let d = q.deadLetters {
                        if queue.deadLetters == nil { queue.deadLetters = Gauge(d, at: now) } else { queue.deadLetters!.add(d, at: now) }
                    }
                    s.queues[q.name] = queue
                } else if s.queues.count < Self.maxNames {
                    s.queues[q.name] = Queue(readings: 1, depth: Gauge(q.depth, at: now), deadLetters: q.deadLetters.map { Gauge($0, at: now) })
                }
            }
        }
        for run in reading.runs where run.isFinished {
            guard let d = run.drift else { continue }
            let time = run.finishedAt ?? now
            let total = d.missing + d.orphaned + d.mismatched
            update(hour: time.floorDiv(3_600_000)) { s in
                if s.drift[run.target] != nil {
                    s.drift[run.target]!.add(total, at: time)
                } else if s.drift.count < Self.maxNames {
                    s.drift[run.target] = Gauge(total, at: time)
                }
            }
        }
    }

    private mutating func update(hour: Int64, _ change: (inout Summary) -> Void) {
        if newestHour != .min, hour <= newestHour - Self.keptHours { return } // older than what is kept
        change(&hours[hour, default: Summary()])
        if hour > newestHour {
            newestHour = hour
            hours = hours.filter { $0.key > hour - Self.keptHours }
        }
    }

    /// Everything read in the hours starting in [`start`, `end`) (epoch ms).
    public func summary(from start: Int64, to end: Int64) -> Summary {
        var out = Summary()
        for (hour, s) in hours where hour * 3_600_000 >= start && hour * 3_600_000 < end {
            for (name, q) in s.queues {
                if out.queues[name] == nil { out.queues[name] = q } else { out.queues[name]!.merge(q) }
            }
            for (name, g) in s.drift {
                if out.drift[name] == nil { out.drift[name] = g } else { out.drift[name]!.merge(g) }
            }
        }
        return out
    }

    /// The start (epoch ms) of the oldest hour that can still be kept; nil before any reading.
    public var oldestKept: Int64? {
        newestHour == .min ? nil : (newestHour - Self.keptHours + 1) * 3_600_000
    }

    static let stateVersion: UInt64 = 1

    /// For the checkpoint's `poll_hourly` section.
    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.write(Self.stateVersion)
        w.write(hours.count)
        func write(_ g: Gauge) {
            w.write(g.max)
            w.write(g.last)
            w.write(g.lastAt)
        }
        for hour in hours.keys.sorted() {
            let s = hours[hour]!
            w.write(hour)
            let queues = s.queues.keys.sorted()
            w.write(queues)
            for name in queues {
                let q = s.queues[name]!
                w.write(q.readings)
                write(q.depth)
                w.write(q.deadLetters == nil ? 0 : 1)
                if let d = q.deadLetters { write(d) }
            }
            let targets = s.drift.keys.sorted()
            w.write(targets)
            for name in targets { write(s.drift[name]!) }
        }
        return w.bytes
    }

    /// Restores what ``encoded()`` wrote.
    public mutating func restore(_ bytes: [UInt8]) throws(StateDecodingError) {
        var r = StateReader(bytes)
        try r.readVersion(Self.stateVersion)
        var restored = PollHistory()
        func gauge() throws(StateDecodingError) -> Gauge {
            var g = Gauge(try r.readDouble(), at: 0)
            g.last = try r.readDouble()
            g.lastAt = try r.readInt64()
            return g
        }
        for _ in 0..<(try r.readInt()) {
            let hour = try r.readInt64()
            var s = Summary()
            for name in try r.readStrings() {
                let readings = try r.readUInt64()
                let depth = try gauge()
                var dead: Gauge?
                if try r.readInt() == 1 { dead = try gauge() }
                s.queues[name] = Queue(readings: readings, depth: depth, deadLetters: dead)
            }
            for name in try r.readStrings() { s.drift[name] = try gauge() }
            restored.hours[hour] = s
            restored.newestHour = max(restored.newestHour, hour)
        }
        self = restored
    }
}
