extension MetricsSnapshot {
    /// `scimwatch_notifications_total{receiver,result}` and `scimwatch_notifications_pending{receiver}`
    /// (metrics.md). Every receiver shows all four results, zeros included, so `rate()` and alerts on
    /// `failed` work from the first scrape; with no receiver both families are left out.
    func writeNotificationFamilies(into w: inout ExpositionWriter) {
        let receivers = notifications.receivers
        guard !receivers.isEmpty else { return }
        w.family("scimwatch_notifications_total", .counter,
                 help: "Notification delivery attempts by receiver and result: sent, retried (another attempt is scheduled), failed (refused by the receiver, not retried), dropped (given up after max_attempts or max_age, or its receiver removed).")
        for receiver in receivers {
            let counts = notifications.counts[receiver] ?? [:]
            for result in NotificationResult.allCases.sorted() {
                w.sample("scimwatch_notifications_total", [("receiver", receiver), ("result", result.rawValue)],
                         Double(counts[result] ?? 0))
            }
        }
        w.family("scimwatch_notifications_pending", .gauge, help: "Notifications waiting in the outbox for delivery, by receiver.")
        for receiver in receivers {
            w.sample("scimwatch_notifications_pending", [("receiver", receiver)], Double(notifications.pending[receiver] ?? 0))
        }
    }
}

extension MetricsSnapshot {
    /// `scimwatch_report_deliveries_total{receiver,result}`: scheduled weekly report deliveries, `sent` or
    /// `failed` (each failed attempt; it is retried later). Left out without report receivers.
    func writeReportDeliveryFamily(into w: inout ExpositionWriter) {
        guard !reportDeliveries.isEmpty else { return }
        w.family("scimwatch_report_deliveries_total", .counter,
                 help: "Scheduled weekly report deliveries by receiver and result: sent, failed (the attempt failed; retried later).")
        for receiver in reportDeliveries.keys.sorted() {
            for result in ["failed", "sent"] {
                w.sample("scimwatch_report_deliveries_total", [("receiver", receiver), ("result", result)],
                         Double(reportDeliveries[receiver]?[result] ?? 0))
            }
        }
    }
}
