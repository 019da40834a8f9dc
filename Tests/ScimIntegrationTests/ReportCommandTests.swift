import Foundation
import ScimCore
import ScimTesting
import Testing

/// `scimwatch report` on a state written by `scimwatch replay`, and its HTML in a real headless Chromium.
@Suite struct ReportCommandTests {
    let bin = scimwatchExecutable()

    /// A week of native log lines in 2026-W47: 48 attempts a day (one every 30 minutes), the ones at
    /// 10:00 and 10:30 on Wednesday answered 500; the same for Monday of the week before.
    func writeState(in dir: TemporaryDirectory) throws -> String {
        var lines = ""
        let days = ["2026-11-09"] + (16...22).map { "2026-11-\($0)" }
        for day in days {
            for slot in 0..<48 {
                let time = String(format: "%@T%02d:%02d:00Z", day, slot / 2, (slot % 2) * 30)
                let status = day == "2026-11-18" && (slot == 20 || slot == 21) ? 500 : 200
                lines += #"{"time":"\#(time)","tenant":"acme","target":"github","operation":"update","status":\#(status),"correlation_id":"\#(day)-\#(slot)"}"# + "\n"
            }
        }
        try lines.write(toFile: dir.file("week.log"), atomically: true, encoding: .utf8)
        let replay = try runProcess(bin, ["replay", "--state", dir.file("state.sqlite"), dir.file("week.log")])
        #expect(replay.status == 0, "\(replay.stderr)")
        return dir.file("state.sqlite")
    }

    @Test func reportReadsTheStateWithoutIngesting() throws {
        let dir = try TemporaryDirectory(prefix: "report")
        defer { dir.remove() }
        let state = try writeState(in: dir)
        let result = try runProcess(bin, ["report", "--state", state, "--week", "2026-W47", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(WeeklyReport.self, from: Data(result.stdout.utf8))
        let requests = try #require(report.slos.first { $0.name == "scim-requests" })
        #expect(requests.week.events == 7 * 48 && requests.week.bad == 2)
        #expect(requests.days[2].bad == 2)
        #expect(requests.previousWeekSLI == 1)
        // The hourly tallies of bad events come back from the state file.
        #expect(report.topFailing.statusCodes == [.init(value: "500", bad: 2)])
        #expect(report.topFailing.targets == [.init(value: "github", bad: 2)])
        let provisions = try #require(report.slos.first { $0.name == "provision-success" })
        #expect(provisions.status == "no data" && provisions.week.sli == nil)
        let markdown = try runProcess(bin, ["report", "--state", state, "--week", "2026-W47", "--format", "md"])
        #expect(markdown.stdout.contains("| scim-requests | 99.50% | 99.40% |"))
        let missing = try runProcess(bin, ["report", "--state", dir.file("nope.sqlite")])
        #expect(missing.status != 0 && missing.stderr.contains("no state file"))
        let badWeek = try runProcess(bin, ["report", "--state", state, "--week", "W47"])
        #expect(badWeek.status != 0 && badWeek.stderr.contains("2026-W47"))
    }

    @Test func theHTMLReportRendersInHeadlessChromium() throws {
        let chromium = try #require(which("chromium"), "chromium is installed by scripts/test.sh")
        let dir = try TemporaryDirectory(prefix: "report-html")
        defer { dir.remove() }
        let state = try writeState(in: dir)
        let html = dir.file("report.html")
        let written = try runProcess(bin, ["report", "--state", state, "--week", "2026-W47", "--out", html])
        #expect(written.status == 0, "\(written.stderr)")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                      "--user-data-dir=\(dir.file("profile"))"]
        let screenshot = dir.file("report.png")
        let shot = try runProcess(chromium, common + ["--screenshot=\(screenshot)", "--window-size=1200,2000", "file://\(html)"])
        #expect(shot.status == 0, "\(shot.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "the screenshot is \(size) bytes")
        let dom = try runProcess(chromium, common + ["--dump-dom", "file://\(html)"])
        #expect(dom.status == 0, "\(dom.stderr)")
        for name in ["scim-requests", "provision-success", "deprovision-latency"] { #expect(dom.stdout.contains(name)) }
        #expect(dom.stdout.contains("<svg"))
        #expect(dom.stdout.contains("daily SLI"))
        // Kept for a person to look at; the temporary directory is left in place on purpose.
        print("weekly report screenshot: \(screenshot)")

        // The status page too, from a snapshot with one source.
        var engine = IngestEngine()
        _ = engine.registerSource("app", format: SourceFormat(format: .native))
        let status = dir.file("status.html")
        try StatusPage.html(MetricsSnapshot(engine: engine, lagBytes: [0], openFiles: [1]), now: 1_794_787_200_000)
            .write(toFile: status, atomically: true, encoding: .utf8)
        let statusShot = dir.file("status.png")
        let statusRun = try runProcess(chromium, common + ["--screenshot=\(statusShot)", "--window-size=1200,900", "file://\(status)"])
        #expect(statusRun.status == 0, "\(statusRun.stderr)")
        let statusDOM = try runProcess(chromium, common + ["--dump-dom", "file://\(status)"])
        for name in ["scim-requests", "Sources", "Overdue deprovisions"] { #expect(statusDOM.stdout.contains(name)) }
        print("status page screenshot: \(statusShot)")
    }
}
