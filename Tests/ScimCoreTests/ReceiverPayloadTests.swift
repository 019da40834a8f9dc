import ScimCore
import Testing

/// A page as the evaluator will send it, with every kind of evidence.
func samplePage(state: AlertNotification.State = .firing, severity: AlertSeverity = .page) -> AlertNotification {
    let start: Int64 = 1_795_000_000_000 // 2026-11-18T11:06:40Z
    return AlertNotification(
        alert: "SLOBurnRatePage", slo: "provision-success", severity: severity, state: state, startsAt: start,
        endsAt: state == .resolved ? start + 1_680_000 : nil,
        summary: "provisioning fails: \"1h\" budget burning 16x", burnRates: ["5m": 21.54321, "1h": 16.2],
        budgetRemaining: 0.625,
        evidence: Evidence(topTargets: [("salesforce", 12), ("github<x>", 3)], topTenants: [("acme", 14)],
                           topStatusCodes: [("503", 10), ("429", 5)], sampleCorrelationIDs: ["c-1", "c-2"]))
}

func parsed(_ bytes: [UInt8]) throws -> JSONValue {
    try JSONValue.parse(bytes)
}

@Suite struct ReceiverPayloadTests {
    let now: Int64 = 1_795_000_600_000

    @Test func alertmanagerFiringCarriesLabelsEvidenceAndAnEndsAtFromTheMomentOfSending() throws {
        let receiver = Receiver(name: "am", kind: .alertmanager, generatorURL: "http://scimwatch:9477/metrics")
        let stored = ReceiverPayload.stored(samplePage(), for: receiver)
        #expect(try parsed(stored).value(atPath: "0.endsAt") == nil, "set when sent")
        let sent = try parsed(ReceiverPayload.prepared(stored, for: receiver, state: .firing, now: now))
        let alerts = try #require(sent.arrayValue)
        #expect(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert["labels"] == .object(["alertname": .string("SLOBurnRatePage"), "slo": .string("provision-success"),
                                            "severity": .string("page")]))
        #expect(alert["startsAt"]?.stringValue == "2026-11-18T11:06:40.000Z")
        #expect(alert["endsAt"]?.stringValue == EventTime.format(now + Receiver.defaultHoldMs))
        #expect(alert["generatorURL"]?.stringValue == "http://scimwatch:9477/metrics")
        let annotations = try #require(alert["annotations"])
        #expect(annotations["summary"]?.stringValue == "provisioning fails: \"1h\" budget burning 16x")
        #expect(annotations["burn_rate_1h"]?.stringValue == "16.2")
        #expect(annotations["burn_rate_5m"]?.stringValue == "21.5")
        #expect(annotations["budget_remaining"]?.stringValue == "0.625")
        #expect(annotations["top_targets"]?.stringValue == "salesforce (12), github<x> (3)")
        #expect(annotations["top_tenants"]?.stringValue == "acme (14)")
        #expect(annotations["top_status_codes"]?.stringValue == "503 (10), 429 (5)")
        #expect(annotations["sample_correlation_ids"]?.stringValue == "c-1, c-2")
        #expect(annotations["description"]?.stringValue?.contains("Burn rate: 16.2x over 1h, 21.5x over 5m") == true)
    }

    @Test func alertmanagerResolutionHasTheSameLabelsAndEndsAtItsEnd() throws {
        let receiver = Receiver(name: "am", kind: .alertmanager)
        let firing = try parsed(ReceiverPayload.stored(samplePage(), for: receiver))
        let stored = ReceiverPayload.stored(samplePage(state: .resolved), for: receiver)
        #expect(ReceiverPayload.prepared(stored, for: receiver, state: .resolved, now: now) == stored)
        let resolved = try parsed(stored)
        #expect(resolved.value(atPath: "0.labels") == firing.value(atPath: "0.labels"))
        #expect(resolved.value(atPath: "0.endsAt")?.stringValue == "2026-11-18T11:34:40.000Z")
        #expect(resolved.value(atPath: "0.generatorURL") == nil)
    }

    @Test func pagerDutyTriggerAndResolveShareTheDedupKeyAndTheRoutingKeyIsAddedOnlyWhenSent() throws {
        let receiver = Receiver(name: "pd", kind: .pagerduty, source: "scimwatch-prod")
        let stored = ReceiverPayload.stored(samplePage(), for: receiver)
        #expect(!String(decoding: stored, as: UTF8.self).contains("routing_key"))
        let event = try parsed(ReceiverPayload.prepared(stored, for: receiver, state: .firing, now: now, routingKey: "R0UT\"NG"))
        #expect(event["routing_key"]?.stringValue == "R0UT\"NG")
        #expect(event["event_action"]?.stringValue == "trigger")
        #expect(event["dedup_key"]?.stringValue == "scimwatch/provision-success/page")
        #expect(event.value(atPath: "payload.summary")?.stringValue == "SLO provision-success: provisioning fails: \"1h\" budget burning 16x")
        #expect(event.value(atPath: "payload.source")?.stringValue == "scimwatch-prod")
        #expect(event.value(atPath: "payload.severity")?.stringValue == "critical")
        #expect(event.value(atPath: "payload.custom_details.burn_rates.1h")?.numberValue == 16.2)
        #expect(abs((event.value(atPath: "payload.custom_details.burn_rates.5m")?.numberValue ?? 0) - 21.5432) < 1e-9)
        #expect(String(decoding: stored, as: UTF8.self).contains(#""burn_rates":{"1h":16.2,"5m":21.5432}"#))
        #expect(event.value(atPath: "payload.custom_details.budget_remaining")?.numberValue == 0.625)
        #expect(event.value(atPath: "payload.custom_details.top_targets.0.value")?.stringValue == "salesforce")
        #expect(event.value(atPath: "payload.custom_details.top_targets.0.bad_events")?.numberValue == 12)
        #expect(event.value(atPath: "payload.custom_details.top_status_codes.1.value")?.stringValue == "429")
        #expect(event.value(atPath: "payload.custom_details.sample_correlation_ids.1")?.stringValue == "c-2")

        let resolve = try parsed(ReceiverPayload.prepared(ReceiverPayload.stored(samplePage(state: .resolved), for: receiver),
                                                          for: receiver, state: .resolved, now: now, routingKey: "k"))
        #expect(resolve["event_action"]?.stringValue == "resolve")
        #expect(resolve["dedup_key"] == event["dedup_key"])
        let ticket = try parsed(ReceiverPayload.stored(samplePage(severity: .ticket), for: receiver))
        #expect(ticket.value(atPath: "payload.severity")?.stringValue == "warning")
        #expect(ticket["dedup_key"]?.stringValue == "scimwatch/provision-success/ticket")
    }

    @Test func theWebhookGetsTheNotificationAsJSON() throws {
        let body = try parsed(ReceiverPayload.stored(samplePage(state: .resolved), for: Receiver(name: "hook", kind: .webhook)))
        #expect(body["version"]?.numberValue == 1)
        #expect(body["receiver"]?.stringValue == "hook")
        #expect(body["alert"]?.stringValue == "SLOBurnRatePage")
        #expect(body["slo"]?.stringValue == "provision-success")
        #expect(body["severity"]?.stringValue == "page")
        #expect(body["state"]?.stringValue == "resolved")
        #expect(body["starts_at"]?.stringValue == "2026-11-18T11:06:40.000Z")
        #expect(body["ends_at"]?.stringValue == "2026-11-18T11:34:40.000Z")
        #expect(body["dedup_key"]?.stringValue == "scimwatch/provision-success/page")
        #expect(body.value(atPath: "burn_rates.1h")?.numberValue == 16.2)
        #expect(body["budget_remaining"]?.numberValue == 0.625)
        #expect(body.value(atPath: "top_tenants.0.value")?.stringValue == "acme")
        #expect(body.value(atPath: "sample_correlation_ids.0")?.stringValue == "c-1")
        #expect(body["text"]?.stringValue?.hasPrefix("[RESOLVED] page SLO provision-success") == true)
        let symptom = AlertNotification(alert: "DeprovisionsOverdue", slo: nil, severity: .ticket, state: .firing, startsAt: 0, summary: "3 overdue")
        let plain = try parsed(ReceiverPayload.stored(symptom, for: Receiver(name: "hook", kind: .webhook)))
        #expect(plain["slo"] == .null && plain["budget_remaining"] == .null && plain["ends_at"] == .null)
    }

    @Test func slackTextIsReadableAndEscaped() throws {
        let body = try parsed(ReceiverPayload.stored(samplePage(), for: Receiver(name: "slack", kind: .slack)))
        let text = try #require(body["text"]?.stringValue)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines == [
            ":rotating_light: *FIRING page* SLO provision-success: provisioning fails: \"1h\" budget burning 16x",
            "Firing since 2026-11-18 11:06:40 UTC (alert SLOBurnRatePage)",
            "Burn rate: 16.2x over 1h, 21.5x over 5m",
            "Error budget left: 62.5%",
            "Top targets: salesforce (12), github&lt;x&gt; (3)",
            "Top tenants: acme (14)",
            "Top status codes: 503 (10), 429 (5)",
            "Sample correlation ids: c-1, c-2",
        ])
    }

    @Test func theConsolePrintsThePlainTextOfAResolution() {
        var page = samplePage(state: .resolved)
        page.budgetRemaining = -0.1234
        let text = String(decoding: ReceiverPayload.stored(page, for: Receiver(name: "console", kind: .console)), as: UTF8.self)
        #expect(text == NotificationText.render(page, style: .plain))
        #expect(text.contains("[RESOLVED] page SLO provision-success"))
        #expect(text.contains("Resolved 2026-11-18 11:34:40 UTC after 28m (firing since 2026-11-18 11:06:40 UTC)"))
        #expect(text.contains("Burn rate at resolution: 16.2x over 1h, 21.5x over 5m"))
        #expect(text.contains("Error budget left: none (overspent by 12.3%)"))
        #expect(text.contains("Top targets: salesforce (12), github<x> (3)"))
    }

    @Test func jsonOutputEscapesWhatNeedsEscaping() throws {
        let value = JSONOutput.object([("s", .string("a\"b\\c\nd\u{01}é")), ("n", .number(.nan)), ("x", .number(0.25)),
                                       ("i", .number(3))])
        #expect(value.text == #"{"s":"a\"b\\c\nd\u0001é","n":null,"x":0.25,"i":3}"#)
        #expect(try parsed(value.bytes)["s"]?.stringValue == "a\"b\\c\nd\u{01}é")
    }
}
