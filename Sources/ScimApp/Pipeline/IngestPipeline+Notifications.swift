import ScimCore

extension IngestPipeline {
    /// Queues a state change of an alert for every receiver whose route takes its severity. It is
    /// written to the outbox by the next checkpoint, in the same transaction as the state that decided
    /// it: after a crash it is decided again, and a state change already queued is not queued twice.
    public func enqueue(_ notification: AlertNotification, now: Int64) {
        notifications.enqueue(notification, now: now)
    }

    /// Re-sends a firing alert to the Alertmanager receivers (call at every evaluation while it fires):
    /// Alertmanager resolves an alert by itself once its `endsAt` passes, so a firing alert must be
    /// refreshed; `endsAt` is set a few minutes past the moment of sending. Replaces a re-send of the
    /// same alert still waiting, and is ignored once the alert's resolution is queued.
    public func resendFiring(_ notification: AlertNotification, now: Int64) {
        notifications.resend(notification, now: now)
    }

    /// Where the ``NotificationService`` reports outcomes; they are counted and committed by the checkpoints.
    public func attach(deliveries inbox: DeliveryInbox) {
        notifications.inbox = inbox
    }

    /// Takes the outcomes reported since the last call. True if the next checkpoint has notification
    /// work to commit (outcomes, or notifications decided).
    @discardableResult
    public func collectDeliveries() -> Bool {
        notifications.collect()
    }
}
