import ScimCore

/// The body of `GET /api/v1/operations/overdue`: overdue deprovisions, oldest first.
public struct OverdueReport: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public var tenant: String
        public var target: String
        public var subject: String
        public var openedAt: String
        public var ageSeconds: Double
        public var attempts: Int
        public var lastStatus: Int?
        /// Whether a `requested` event opened it (otherwise the age is a lower bound).
        public var requested: Bool

        enum CodingKeys: String, CodingKey {
            case tenant, target, subject, attempts, requested
            case openedAt = "opened_at", ageSeconds = "age_seconds", lastStatus = "last_status"
        }
    }

    public var now: String
    public var count: Int
    public var overdue: [Item]

    public init(snapshot: EngineSnapshot) {
        let now = snapshot.now == .min ? 0 : snapshot.now
        self.now = EventTime.format(now)
        overdue = snapshot.overdue.map { op in
            Item(tenant: snapshot.labels.tenants.values[Int(op.tenant)], target: snapshot.labels.targets.values[Int(op.target)],
                 subject: op.subject, openedAt: EventTime.format(op.openedAt), ageSeconds: now == 0 ? 0 : Double(max(0, now - op.openedAt)) / 1000,
                 attempts: Int(op.attempts), lastStatus: op.lastStatus >= 0 ? Int(op.lastStatus) : nil, requested: op.requested)
        }
        count = snapshot.deprovisionsOverdue.values.reduce(0) { $0 + Int($1) }
    }
}
