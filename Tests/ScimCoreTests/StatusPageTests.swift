import ScimCore
import Testing

/// The status page from one snapshot: budget bars, states, sources, pollers, overdue deprovisions.
@Suite struct StatusPageTests {
    /// Replay mode: a deprovision opened 30 minutes before the last event (overdue), a 503 among 2 attempts.
    func snapshot() -> MetricsSnapshot {
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        let lines = """
            {"time":"2026-11-16T09:30:00Z","tenant":"acme","target":"slack","operation":"delete","phase":"requested","subject":"u-42"}
            {"time":"2026-11-16T09:31:00Z","tenant":"acme","target":"slack","operation":"delete","status":503,"subject":"u-42"}
            {"time":"2026-11-16T10:00:00Z","tenant":"acme","target":"github","operation":"update","status":200}

            """
        var bytes = Array(lines.utf8)
        bytes.withUnsafeMutableBytes { engine.ingest(block: UnsafeRawBufferPointer($0), source: 0) }
        var polls = PollState()
        polls.register(endpoint: "okta-queue")
        return MetricsSnapshot(engine: engine, lagBytes: [0], openFiles: [1], polls: polls)
    }

    @Test func showsBudgetsSourcesPollersAndOverdueDeprovisions() {
        let page = StatusPage.html(snapshot(), now: 1_794_823_200_000)
        #expect(page.contains(#"<meta http-equiv="refresh" content="15">"#))
        // scim-requests: 1 bad of 2 against a 0.5% budget is overspent: an empty red bar.
        #expect(page.contains(#"<td>scim-requests</td><td>99.50%</td><td>50.00%</td><td><span class="bar"><span class="fill down" style="width:0%"></span></span> -9900.00%</td>"#))
        #expect(page.contains(#"<td>provision-success</td><td>99.90%</td><td>no data</td><td>no data</td>"#))
        #expect(page.contains(#"<td>okta-queue</td><td><span class="st down">down</span></td><td>never</td>"#))
        #expect(page.contains("<td>slack</td><td>acme</td><td>u-42</td><td>2026-11-16T09:30:00Z</td>"))
        #expect(page.contains("<td>app</td><td>1</td><td>0 B</td><td>0</td><td>3</td>"))
        #expect(!page.contains("<script"))
    }

    @Test func labelsAreEscaped() {
        var engine = IngestEngine()
        _ = engine.registerSource("<b>app</b>", format: SourceFormat(format: .native))
        let page = StatusPage.html(MetricsSnapshot(engine: engine), now: 0)
        #expect(page.contains("&lt;b&gt;app&lt;/b&gt;") && !page.contains("<b>app</b>"))
    }
}
