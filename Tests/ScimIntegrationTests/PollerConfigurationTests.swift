import Foundation
import ScimApp
import ScimCore
import ScimTesting
import Testing

@Suite struct PollerConfigurationTests {
    func issues(_ yaml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func aFullPollerListLoadsWithDefaultsAndResolvedHeaders() throws {
        let dir = try TemporaryDirectory(prefix: "pollers")
        defer { dir.remove() }
        try "file-secret\n".write(toFile: dir.file("token"), atomically: true, encoding: .utf8)
        setenv("SCIMWATCH_TEST_POLL_TOKEN", "env-secret", 1)
        let configuration = try ConfigurationLoader.load(yaml: """
            pollers:
              - name: queue
                url: http://127.0.0.1:8080/queues
                format: native
              - name: entra-github
                url: https://graph.microsoft.com/v1.0/servicePrincipals/x/synchronization/jobs/y
                format: entra-sync-job
                target: github
                interval: 5m
                timeout: 20s
                max_body_bytes: 65536
                headers:
                  Authorization: {env: SCIMWATCH_TEST_POLL_TOKEN, prefix: "Bearer "}
                  X-Api-Key: {file: \(dir.file("token"))}
                  X-Client: scimwatch
                tls: {insecure_skip_verify: false}
              - name: jobs
                url: http://127.0.0.1:8080/stats?token=abc
                format: json
                target: okta
                mapping:
                  queue: {name: jobs, depth: stats.pending, processed_total: stats.done}
                  reconciler: {result: last.outcome, finished_at: last.end}
                  quarantined: connector.quarantined
            """)
        #expect(configuration.pollers.map(\.name) == ["queue", "entra-github", "jobs"])
        let queue = configuration.pollers[0]
        #expect(queue.interval == .seconds(30) && queue.timeout == .seconds(10) && queue.maxBodyBytes == 1 << 20)
        let entra = configuration.pollers[1]
        #expect(entra.format == .entraSyncJob && entra.target == "github")
        #expect(entra.interval == .seconds(300) && entra.timeout == .seconds(20) && entra.maxBodyBytes == 65536)
        #expect(entra.headers.map(\.value) == ["Bearer env-secret", "file-secret", "scimwatch"])
        let jobs = configuration.pollers[2]
        #expect(jobs.mapping?.queue?.depth == "stats.pending")
        #expect(jobs.mapping?.reconciler?.result == "last.outcome")
        #expect(jobs.displayURL == "http://127.0.0.1:8080/stats", "the query may hold a secret")
    }

    @Test func everyPollerProblemIsReportedWithItsKey() {
        let found = issues("""
            pollers:
              - name: a
                url: ftp://example.com/x
                format: native
                timeout: 30s
              - name: a
                url: http://127.0.0.1/x
                format: soap
              - name: entra
                url: http://127.0.0.1/job
                format: entra-sync-job
                headers:
                  Authorization: {env: SCIMWATCH_TEST_UNSET_VARIABLE}
                tls: {insecure_skip_verify: true, ca_file: /etc/ca.pem}
                colour: blue
              - name: mapped
                url: http://127.0.0.1/m
                format: json
                mapping:
                  reconciler: {run_id: id}
              - url: http://127.0.0.1/nameless
                format: native
            """)
        for expected in [
            "pollers[0].url: must be an http or https URL",
            "pollers[0].timeout: must be shorter than the interval (30s)",
            "pollers[1].name: \"a\" is used by another poller",
            "pollers[1].format: unknown format \"soap\"",
            "pollers[2].target: is required for entra-sync-job",
            "pollers[2].headers.Authorization.env: environment variable SCIMWATCH_TEST_UNSET_VARIABLE is not set",
            "pollers[2].tls.insecure_skip_verify: is not supported",
            "pollers[2].tls.ca_file: is not supported",
            "pollers[2].colour: unknown key",
            "pollers[3].mapping.reconciler.result: is required",
            "pollers[4].name: is required",
        ] {
            #expect(found.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(found)")
        }
    }

    @Test func headerValuesNeverAppearInProblems() throws {
        let dir = try TemporaryDirectory(prefix: "pollers")
        defer { dir.remove() }
        let found = issues("""
            pollers:
              - name: q
                url: http://127.0.0.1/q
                format: native
                headers:
                  "Bad Name": "Bearer top-secret-1"
                  Authorization: "Bearer top-secret-2\\r\\nX-Injected: 1"
                  X-Missing: {file: \(dir.file("absent"))}
            """)
        #expect(found.count == 3, "\(found)")
        #expect(!found.joined().contains("top-secret"))
    }

    @Test func checkConfigListsThePollers() throws {
        let dir = try TemporaryDirectory(prefix: "pollers")
        defer { dir.remove() }
        let file = dir.file("good.yaml")
        try """
            pollers:
              - name: queue
                url: http://127.0.0.1:8080/queues?key=hidden
                format: native
                interval: 15s
                headers: {Authorization: "Bearer hidden-token"}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(scimwatchExecutable(), ["check-config", file])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("poller queue: native http://127.0.0.1:8080/queues every 15s, timeout 10s, headers Authorization"))
        #expect(!result.stdout.contains("hidden"))
    }
}
