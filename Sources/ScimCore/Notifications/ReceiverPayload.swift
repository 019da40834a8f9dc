/// The bodies receivers are sent, built from an ``AlertNotification`` (slo.md, "Pages").
///
/// Built in two steps. ``stored(_:for:)`` is what the outbox keeps: everything but secrets, so a state
/// file, a dump or a log of it never holds a routing key or token. ``prepared(_:for:state:now:routingKey:)``
/// is what goes on the wire at each attempt: the PagerDuty routing key is spliced in (the protocol wants
/// it in the body), and a firing Alertmanager alert gets `endsAt` counted from the moment it is sent,
/// so a page delayed by retries never arrives already expired.
public enum ReceiverPayload {
    /// The outbox bytes of `notification` for `receiver`.
    public static func stored(_ notification: AlertNotification, for receiver: Receiver) -> [UInt8] {
        switch receiver.kind {
        case .alertmanager: alertmanager(notification, receiver: receiver).bytes
        case .pagerduty: pagerDuty(notification, receiver: receiver).bytes
        case .webhook: webhook(notification, receiver: receiver).bytes
        case .slack: JSONOutput.object([("text", .string(NotificationText.render(notification, style: .slack)))]).bytes
        case .console: Array(NotificationText.render(notification, style: .plain).utf8)
        }
    }

    /// The body of one attempt, from the stored bytes.
    public static func prepared(_ stored: [UInt8], for receiver: Receiver, state: AlertNotification.State, now: Int64,
                                routingKey: String? = nil) -> [UInt8] {
        switch receiver.kind {
        case .pagerduty:
            guard let routingKey, stored.first == UInt8(ascii: "{") else { return stored }
            return Array("{\"routing_key\":\(JSONOutput.quoted(routingKey)),".utf8) + stored.dropFirst()
        case .alertmanager:
            // The stored firing alert ends in `}]` without an endsAt; add one past now.
            guard state == .firing, stored.count >= 2, stored.suffix(2).elementsEqual("}]".utf8) else { return stored }
            let endsAt = ",\"endsAt\":\(JSONOutput.quoted(EventTime.format(now + receiver.holdMs)))}]"
            return Array(stored.dropLast(2)) + Array(endsAt.utf8)
        case .webhook, .slack, .console:
            return stored
        }
    }

    /// Alertmanager API v2: a one-alert array. The labels identify the alert (alertname, slo, severity);
    /// the evidence goes in annotations. A resolution has the same labels and `endsAt` = its end.
    static func alertmanager(_ n: AlertNotification, receiver: Receiver) -> JSONOutput {
        var labels: [(String, JSONOutput)] = [("alertname", .string(n.alert))]
        if let slo = n.slo { labels.append(("slo", .string(slo))) }
        labels.append(("severity", .string(n.severity.rawValue)))
        var annotations: [(String, JSONOutput)] = [
            ("summary", .string(n.summary)),
            ("description", .string(NotificationText.render(n, style: .plain))),
        ]
        for (window, rate) in NotificationText.orderedWindows(n.burnRates) {
            annotations.append(("burn_rate_\(window)", .string(NotificationText.rate(rate))))
        }
        if let left = n.budgetRemaining { annotations.append(("budget_remaining", .string(String(rounded(left))))) }
        let e = n.evidence
        if !e.topTargets.isEmpty { annotations.append(("top_targets", .string(NotificationText.list(e.topTargets)))) }
        if !e.topTenants.isEmpty { annotations.append(("top_tenants", .string(NotificationText.list(e.topTenants)))) }
        if !e.topStatusCodes.isEmpty { annotations.append(("top_status_codes", .string(NotificationText.list(e.topStatusCodes)))) }
        if !e.sampleCorrelationIDs.isEmpty {
            annotations.append(("sample_correlation_ids", .string(e.sampleCorrelationIDs.joined(separator: ", "))))
        }
        var alert: [(String, JSONOutput)] = [
            ("labels", .object(labels)), ("annotations", .object(annotations)),
            ("startsAt", .string(EventTime.format(n.startsAt))),
        ]
        if let url = receiver.generatorURL { alert.append(("generatorURL", .string(url))) }
        if n.state == .resolved { alert.append(("endsAt", .string(EventTime.format(n.endsAt ?? n.startsAt)))) }
        return .array([.object(alert)])
    }

    /// PagerDuty Events API v2 without `routing_key` (added by ``prepared(_:for:state:now:routingKey:)``).
    /// A page is `critical`, a ticket `warning`; trigger and resolve share the dedup key.
    static func pagerDuty(_ n: AlertNotification, receiver: Receiver) -> JSONOutput {
        let subject = n.slo.map { "SLO \($0)" } ?? n.alert
        let summary = (n.state == .resolved ? "RESOLVED: " : "") + "\(subject): \(n.summary)"
        var payload: [(String, JSONOutput)] = [
            ("summary", .string(String(summary.prefix(1024)))), // the API's limit
            ("source", .string(receiver.source)),
            ("severity", .string(n.severity == .page ? "critical" : "warning")),
            ("timestamp", .string(EventTime.format(n.state == .resolved ? (n.endsAt ?? n.startsAt) : n.startsAt))),
            ("component", .string(n.slo ?? n.alert)),
            ("class", .string(n.alert)),
        ]
        payload.append(("custom_details", .object(details(n))))
        return .object([
            ("event_action", .string(n.state == .firing ? "trigger" : "resolve")),
            ("dedup_key", .string(n.dedupKey)),
            ("payload", .object(payload)),
            ("client", .string("scimwatch")),
        ])
    }

    /// The generic webhook: the notification itself, plus the readable text.
    static func webhook(_ n: AlertNotification, receiver: Receiver) -> JSONOutput {
        .object([("version", .int(1)), ("receiver", .string(receiver.name))] + details(n)
            + [("dedup_key", .string(n.dedupKey)), ("summary", .string(n.summary)),
               ("text", .string(NotificationText.render(n, style: .plain)))])
    }

    /// What fires and the evidence, as JSON members (PagerDuty `custom_details`, the webhook body).
    static func details(_ n: AlertNotification) -> [(String, JSONOutput)] {
        func pairs(_ list: [(String, Int)]) -> JSONOutput {
            .array(list.map { .object([("value", .string($0.0)), ("bad_events", .int(Int64($0.1)))]) })
        }
        let e = n.evidence
        return [
            ("alert", .string(n.alert)),
            ("slo", n.slo.map { .string($0) } ?? .null),
            ("severity", .string(n.severity.rawValue)),
            ("state", .string(n.state.rawValue)),
            ("starts_at", .string(EventTime.format(n.startsAt))),
            ("ends_at", n.endsAt.map { .string(EventTime.format($0)) } ?? .null),
            ("burn_rates", .object(NotificationText.orderedWindows(n.burnRates).map { ($0.0, .number(rounded($0.1))) })),
            ("budget_remaining", n.budgetRemaining.map { .number(rounded($0)) } ?? .null),
            ("top_targets", pairs(e.topTargets)),
            ("top_tenants", pairs(e.topTenants)),
            ("top_status_codes", pairs(e.topStatusCodes)),
            ("sample_correlation_ids", .array(e.sampleCorrelationIDs.map { .string($0) })),
        ]
    }

    /// Four decimals: enough for a ratio or a burn rate, without binary noise (16.2, not 16.199999999999999).
    static func rounded(_ d: Double) -> Double {
        d.isFinite ? (d * 10_000).rounded() / 10_000 : d
    }
}
