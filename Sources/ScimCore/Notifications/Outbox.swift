/// One notification queued for one receiver: a row of the durable outbox.
public struct OutboxEntry: Sendable, Equatable {
    /// The receiver's name.
    public var receiver: String
    /// ``AlertNotification/dedupKey``: one per SLO (or symptom) and severity.
    public var dedupKey: String
    /// Firing or resolved.
    public var state: AlertNotification.State
    /// When the alert started firing (epoch ms): with the key and state, it names the state change.
    public var startsAt: Int64
    /// A re-send of a firing alert to Alertmanager: it replaces a pending re-send of the same alert
    /// and is exempt from the one-per-state-change rule (Alertmanager forgets alerts not re-sent).
    public var isResend: Bool
    /// ``ReceiverPayload/stored(_:for:)``: no secrets.
    public var payload: [UInt8]
    /// When it was queued (epoch ms): the start of its maximum age.
    public var createdAt: Int64

    public init(receiver: String, dedupKey: String, state: AlertNotification.State, startsAt: Int64, isResend: Bool = false,
                payload: [UInt8], createdAt: Int64) {
        self.receiver = receiver
        self.dedupKey = dedupKey
        self.state = state
        self.startsAt = startsAt
        self.isResend = isResend
        self.payload = payload
        self.createdAt = createdAt
    }

    /// The last state change queued for a receiver and alert, as the outbox remembers it.
    public struct Change: Sendable, Equatable {
        public var state: AlertNotification.State
        public var startsAt: Int64

        public init(state: AlertNotification.State, startsAt: Int64) {
            self.state = state
            self.startsAt = startsAt
        }
    }

    /// Whether this entry is queued, given the last state change queued for its receiver and alert:
    /// a state change only once (a page decided again after a crash is not sent twice); a re-send only
    /// while that firing is the latest thing known of the alert.
    public func isAdmitted(after last: Change?) -> Bool {
        guard let last else { return true }
        if isResend { return last == Change(state: .firing, startsAt: startsAt) }
        return last != Change(state: state, startsAt: startsAt)
    }
}

/// What one delivery attempt of an outbox row came to. The ingest task commits it with the next
/// checkpoint, together with the counters it moves, so a restart neither loses nor repeats a count.
public struct OutboxOutcome: Sendable, Equatable {
    /// The outbox row.
    public var id: Int64
    /// The receiver's name (the `receiver` label of the counter it moves).
    public var receiver: String
    /// What the attempt came to.
    public var decision: DeliveryDecision
    /// Attempts made so far, this one included.
    public var attempts: Int

    public init(id: Int64, receiver: String, decision: DeliveryDecision, attempts: Int) {
        self.id = id
        self.receiver = receiver
        self.decision = decision
        self.attempts = attempts
    }
}

/// Turns notifications into outbox entries: one per receiver whose route takes the severity.
public struct OutboxPlanner: Sendable {
    public var receivers: [Receiver]

    public init(receivers: [Receiver]) {
        self.receivers = receivers
    }

    /// The entries of one state change.
    public func entries(for notification: AlertNotification, now: Int64) -> [OutboxEntry] {
        receivers.filter { $0.accepts(notification.severity) }.map { entry(notification, for: $0, now: now, resend: false) }
    }

    /// The re-send of a firing alert, for the Alertmanager receivers that take it (every evaluation
    /// while it fires; `endsAt` is set when it is sent). Other receivers page once per state change.
    public func resendEntries(for notification: AlertNotification, now: Int64) -> [OutboxEntry] {
        guard notification.state == .firing else { return [] }
        return receivers.filter { $0.kind == .alertmanager && $0.accepts(notification.severity) }
            .map { entry(notification, for: $0, now: now, resend: true) }
    }

    private func entry(_ n: AlertNotification, for receiver: Receiver, now: Int64, resend: Bool) -> OutboxEntry {
        OutboxEntry(receiver: receiver.name, dedupKey: n.dedupKey, state: n.state, startsAt: n.startsAt, isResend: resend,
                    payload: ReceiverPayload.stored(n, for: receiver), createdAt: now)
    }
}
