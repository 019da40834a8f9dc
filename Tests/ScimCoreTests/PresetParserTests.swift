import Foundation
import ScimCore
import Testing

// MARK: - Helpers

/// `Tests/Fixtures/samples`: a copy of `../shared/samples`, so the tests do not depend on the checkout's
/// surroundings.
private let samplesDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/samples")

private func sampleLines(_ name: String) throws -> [String] {
    let text = try String(contentsOf: samplesDirectory.appendingPathComponent(name), encoding: .utf8)
    return text.split(separator: "\n").map(String.init)
}

/// Parses one line, appending to `events`; returns the parser's error, if any.
private func parse(
    _ parser: SourceParser, _ line: [UInt8], _ labels: inout Labels, into events: inout [Event]
) -> ParseError? {
    var failure: ParseError?
    // A plain closure: a typed-throws closure through `withUnsafeBytes` crashes the 6.3 compiler.
    line.withUnsafeBytes { raw in
        do throws(ParseError) { try parser.parse(raw, labels: &labels, into: &events) } catch { failure = error }
    }
    return failure
}

/// Parses one line; the thrown error, if any, is the parser's.
private func parse(_ parser: SourceParser, _ line: [UInt8], _ labels: inout Labels) throws(ParseError) -> [Event] {
    var events: [Event] = []
    if let failure = parse(parser, line, &labels, into: &events) { throw failure }
    return events
}

private func parse(_ parser: SourceParser, _ line: String, _ labels: inout Labels) throws(ParseError) -> [Event] {
    try parse(parser, Array(line.utf8), &labels)
}

private func parseAll(_ parser: SourceParser, _ lines: [String], _ labels: inout Labels) throws -> [Event] {
    try lines.flatMap { line in try parse(parser, line, &labels) }
}

/// The reason a line is rejected, or `nil` when it parses.
private func rejection(_ parser: SourceParser, _ line: [UInt8]) -> ParseErrorReason? {
    var labels = Labels()
    do { _ = try parse(parser, line, &labels) } catch { return error.reason }
    return nil
}

private func rejection(_ parser: SourceParser, _ line: String) -> ParseErrorReason? { rejection(parser, Array(line.utf8)) }

/// Every field of an event with labels resolved, so events from different formats compare as text.
private func render(_ e: Event, _ labels: Labels) -> String {
    "\(EventTime.format(e.time)) \(labels.tenants.values[Int(e.tenant)]) \(labels.targets.values[Int(e.target)]) "
        + "\(e.operation.name) \(e.phase) status=\(e.status) outcome=\(e.outcome.map { "\($0)" } ?? "-") "
        + "duration=\(e.durationMs) attempt=\(e.attempt) bulk=\(e.bulkTotal)/\(e.bulkFailed) id=\(e.idHash) "
        + "subject=\(e.subject ?? "-") correlation=\(e.correlationID ?? "-")"
}

private func counts(_ events: [Event]) -> [String: Int] {
    events.reduce(into: [:]) { $0["\($1.operation.name)/\($1.phase)", default: 0] += 1 }
}

// MARK: - Okta

private func oktaLine(_ eventType: String, result: String = "SUCCESS", targets: String? = nil) -> String {
    let list = targets ?? #"[{"id":"u1","type":"User"},{"id":"0oa1","type":"AppInstance","displayName":"jira"}]"#
    return #"{"uuid":"ev-\#(eventType)","published":"2026-11-16T00:00:00Z","eventType":"\#(eventType)","#
        + #""outcome":{"result":"\#(result)","reason":null},"target":\#(list)}"#
}

@Test func oktaSampleMapsEachProvisioningEventTypeToItsOperation() throws {
    var labels = Labels()
    let tenant = labels.tenants.intern("acme")
    let events = try parseAll(.okta(OktaParser(boundTenant: tenant)), try sampleLines("okta.jsonl"), &labels)
    #expect(events.count == 20)
    #expect(counts(events) == [
        "group_add/attempt": 7, "update/attempt": 7, "disable/attempt": 2, "disable/requested": 1,
        "create/attempt": 1, "enable/attempt": 1, "group_remove/attempt": 1,
    ])
    #expect(events.allSatisfy { $0.tenant == tenant && $0.status == -1 })
    #expect(events.filter { $0.phase == .attempt }.allSatisfy { $0.outcome == .success && $0.countedStatus == 200 })
}

@Test func oktaUnassignmentOpensTheDeprovisionThatTheDeactivationAttemptResolves() throws {
    var labels = Labels()
    let parser = SourceParser.okta(OktaParser(boundTenant: labels.tenants.intern("acme")))
    let events = try parseAll(parser, try sampleLines("okta.jsonl"), &labels).filter { $0.subject == "u195399311" }
    #expect(events.map { render($0, labels) } == [
        "2026-11-16T00:06:55.709Z acme workday-sink disable requested status=-1 outcome=- duration=-1.0 attempt=0 "
            + "bulk=-1/-1 id=\(byteHash("6e58d5ca49c7b59b-okta")) subject=u195399311 correlation=-",
        "2026-11-16T00:06:58.949Z acme workday-sink disable attempt status=-1 outcome=success duration=-1.0 attempt=0 "
            + "bulk=-1/-1 id=\(byteHash("4278c2614e1bcb38-okta")) subject=u195399311 correlation=-",
    ])
}

@Test func oktaIntegrationFailuresAreUnknownOperationsWithTheirStatus() throws {
    var labels = Labels()
    let parser = SourceParser.okta(OktaParser(boundTenant: labels.tenants.intern("acme")))
    for (type, status) in [("rate_limit_exceeded", 429), ("authentication_failure", 401), ("general_failure", 0)] {
        let events = try parse(parser, oktaLine("application.integration.\(type)", result: "FAILURE"), &labels)
        #expect(events.count == 1)
        #expect(events.first?.operation == .unknown && events.first?.subject == nil)
        #expect(events.first?.countedStatus == Int16(status) && events.first?.outcome == .failure)
        #expect(events.first.map { labels.targets.values[Int($0.target)] } == "jira")
    }
}

@Test func oktaOutcomeResultDecidesHowTheAttemptIsCounted() throws {
    var labels = Labels()
    let parser = SourceParser.okta(OktaParser(boundTenant: labels.tenants.intern("acme")))
    let push = "application.provision.user.push"
    #expect(try parse(parser, oktaLine(push, result: "FAILURE"), &labels).first?.countedStatus == 0)
    #expect(try parse(parser, oktaLine(push, result: "DENY"), &labels).first?.outcome == .failure)
    #expect(try parse(parser, oktaLine(push, result: "ALLOW"), &labels).first?.countedStatus == 200)
    let skipped = try parse(parser, oktaLine(push, result: "SKIPPED"), &labels)
    #expect(skipped.first?.outcome == .skipped && skipped.first?.countedStatus == nil)
    let unknown = try parse(parser, oktaLine(push, result: "UNKNOWN"), &labels)
    #expect(unknown.count == 1 && unknown.first?.outcome == nil && unknown.first?.countedStatus == nil)
    // A trigger that failed requested nothing.
    #expect(try parse(parser, oktaLine("application.user_membership.remove", result: "FAILURE"), &labels).isEmpty)
}

@Test func oktaTenantWideDeactivationUsesConfiguredTargetsOrTheWildcard() throws {
    var labels = Labels()
    let tenant = labels.tenants.intern("acme")
    let line = oktaLine("user.lifecycle.deactivate", targets: #"[{"id":"u7","type":"User"}]"#)
    let wide = try parse(.okta(OktaParser(boundTenant: tenant)), line, &labels)
    #expect(wide.map { labels.targets.values[Int($0.target)] } == [OktaParser.tenantWideTarget])
    #expect(wide.first?.phase == .requested && wide.first?.operation == .disable && wide.first?.subject == "u7")
    let fanned = try parse(.okta(OktaParser(boundTenant: tenant, deactivationTargets: ["jira", "zoom"])), line, &labels)
    #expect(fanned.map { labels.targets.values[Int($0.target)] } == ["jira", "zoom"])
    #expect(fanned.allSatisfy { $0.subject == "u7" && $0.phase == .requested })
}

@Test func oktaSkipsOtherEventTypesAndRejectsBadLines() {
    var labels = Labels()
    let parser = SourceParser.okta(OktaParser(boundTenant: labels.tenants.intern("acme")))
    #expect(rejection(parser, oktaLine("user.session.start")) == nil)
    #expect((try? parse(parser, oktaLine("user.session.start"), &labels))?.isEmpty == true)
    #expect(rejection(.okta(OktaParser()), oktaLine("application.provision.user.push")) == .missingField)
    let good = oktaLine("application.provision.user.push")
    #expect(rejection(parser, String(good.dropLast(5))) == .invalidJSON)
    #expect(rejection(parser, "garbage") == .invalidJSON)
    #expect(rejection(parser, Array(good.utf8.prefix(20)) + [0xC3, 0x28] + Array(good.utf8.dropFirst(20))) == .invalidUTF8)
    #expect(rejection(parser, good.replacingOccurrences(of: "2026-11-16T00:00:00Z", with: "16/11/2026")) == .badTime)
    #expect(rejection(parser, #"{"eventType":42,"published":"2026-11-16T00:00:00Z"}"#) == .wrongType)
    #expect(rejection(parser, #"{"published":"2026-11-16T00:00:00Z"}"#) == .missingField)
    #expect(rejection(parser, oktaLine("application.provision.user.push", targets: #"[{"id":"u1","type":"User"}]"#))
        == .missingField)
}

// MARK: - Entra

@Test func entraGraphSampleGivesOneEventPerRecord() throws {
    var labels = Labels()
    let events = try parseAll(.entra(EntraParser()), try sampleLines("entra-graph.jsonl"), &labels)
    #expect(counts(events) == ["update/attempt": 7, "delete/attempt": 3, "create/attempt": 1, "disable/attempt": 1])
    #expect(events.allSatisfy { $0.outcome == .success && $0.countedStatus == 200 && $0.correlationID == nil })
    #expect(render(events[0], labels) == "2026-11-16T00:01:28.843Z tenant-03 jira delete attempt status=-1 "
        + "outcome=success duration=107.0 attempt=0 bulk=-1/-1 id=\(byteHash("cc19fb34be0b6d3d")) "
        + "subject=u822164795 correlation=-")
    #expect(Set(events.map { labels.tenants.values[Int($0.tenant)] })
        == ["tenant-00", "tenant-01", "tenant-02", "tenant-03", "tenant-11"])
}

@Test func entraDiagnosticEnvelopeGivesTheSameEventAsTheGraphRecord() throws {
    var labels = Labels()
    let graph = try parse(.entra(EntraParser()), try sampleLines("entra-graph.jsonl")[0], &labels)
    let diagnostic = try parseAll(.entra(EntraParser()), try sampleLines("entra-diagnostic.jsonl"), &labels)
    #expect(diagnostic.count == 1)
    #expect(diagnostic.map { render($0, labels) } == graph.map { render($0, labels) })
}

@Test func entraGraphPageAndPortalArrayGiveOneEventPerRecord() throws {
    var labels = Labels()
    let lines = Array(try sampleLines("entra-graph.jsonl").prefix(4))
    let single = try parseAll(.entra(EntraParser()), lines, &labels).map { render($0, labels) }
    let joined = lines.joined(separator: ",")
    let page = #"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata","value":[\#(joined)]}"#
    for line in [page, "[\(joined)]"] {
        let events = try parse(.entra(EntraParser()), line, &labels)
        #expect(events.count == 4)
        #expect(events.map { render($0, labels) } == single)
    }
    // One bad record rejects the whole line and keeps none of its events.
    var events = try parse(.entra(EntraParser()), lines[3], &labels)
    let bad = "[\(joined),{\"provisioningAction\":\"frobnicate\"}]"
    #expect(parse(.entra(EntraParser()), Array(bad.utf8), &labels, into: &events) == ParseError(.unknownValue, "provisioningAction"))
    #expect(events.count == 1)
}

private func entraLine(_ status: String, _ extra: String = "", action: String = #""disable""#) -> String {
    #"{"id":"r1","activityDateTime":"2026-11-16T00:01:28.8431234Z","tenantId":"t1","provisioningAction":\#(action),"#
        + #""sourceIdentity":{"id":"u1","identityType":"User"},"servicePrincipal":{"displayName":"jira"},"#
        + #""provisioningStatusInfo":{"status":\#(status)\#(extra)}}"#
}

@Test func entraStatusAndErrorTextGiveOutcomeAndHTTPStatus() throws {
    var labels = Labels()
    let parser = SourceParser.entra(EntraParser())
    let throttled = try parse(parser, entraLine(#""failure""#, #","errorInformation":{"errorCode":"SystemForCrossDomainIdentityManagementThrottled","reason":"Failed with HTTP status code 429 (Too Many Requests)."}"#), &labels)
    #expect(throttled.first?.outcome == .failure && throttled.first?.status == 429)
    #expect(throttled.first?.time == EventTime.parseRFC3339("2026-11-16T00:01:28.843Z"))
    let pascal = try parse(parser, entraLine(#""failure""#, #","ErrorInformation":{"Reason":"HTTP status code: 503"}"#), &labels)
    #expect(pascal.first?.status == 503)
    #expect(try parse(parser, entraLine(#""failure""#), &labels).first?.countedStatus == 0)
    #expect(try parse(parser, entraLine(#""warning""#), &labels).first?.countedStatus == 200)
    let skipped = try parse(parser, entraLine(#""skipped""#), &labels)
    #expect(skipped.first?.outcome == .skipped && skipped.first?.countedStatus == nil)
    #expect(try parse(parser, entraLine("1"), &labels).first?.outcome == .failure)
    let group = entraLine(#""success""#, action: #""update""#).replacingOccurrences(of: #""User""#, with: #""Group""#)
    #expect(try parse(parser, group, &labels).first?.operation == .groupUpdate)
    #expect(try parse(parser, entraLine(#""success""#, action: #""other""#), &labels).first?.operation == .read)
    #expect(try parse(parser, entraLine(#""success""#, action: #""stagedDelete""#), &labels).first?.operation == .delete)
}

@Test func entraBoundTenantOverridesTenantIdAndOtherCategoriesAreSkipped() throws {
    var labels = Labels()
    let bound = labels.tenants.intern("contoso")
    let events = try parse(.entra(EntraParser(boundTenant: bound)), entraLine(#""success""#), &labels)
    #expect(events.first?.tenant == bound)
    #expect(!labels.tenants.values.contains("t1"))
    #expect(try parse(.entra(EntraParser()), #"{"category":"AuditLogs","properties":{"id":"x"}}"#, &labels).isEmpty)
}

@Test func entraRejectsBadRecordsWithTheirReason() {
    let parser = SourceParser.entra(EntraParser())
    let good = entraLine(#""success""#)
    #expect(rejection(parser, good) == nil)
    #expect(rejection(parser, String(good.prefix(60))) == .invalidJSON)
    #expect(rejection(parser, [0x7B, 0xFF, 0x7D]) == .invalidUTF8)
    #expect(rejection(parser, entraLine(#""success""#, action: #""frobnicate""#)) == .unknownValue)
    #expect(rejection(parser, entraLine(#""success""#, action: "9")) == .unknownValue)
    #expect(rejection(parser, entraLine(#""unknownFutureValue""#)) == .unknownValue)
    #expect(rejection(parser, entraLine(#""success""#, action: "true")) == .wrongType)
    #expect(rejection(parser, good.replacingOccurrences(of: #""jira""#, with: "7")) == .wrongType)
    #expect(rejection(parser, good.replacingOccurrences(of: #""displayName":"jira""#, with: #""x":1"#)) == .missingField)
    #expect(rejection(parser, good.replacingOccurrences(of: "2026-11-16T", with: "yesterday")) == .badTime)
    #expect(rejection(parser, good.replacingOccurrences(of: #""tenantId":"t1","#, with: "")) == .missingField)
}

// MARK: - SCIM server

private func scimLine(_ method: String, _ path: String, status: Int = 200, _ extra: String = "") -> String {
    #"{"timestamp":"2026-11-16T00:00:01.5Z","method":"\#(method)","path":"\#(path)","status":\#(status),"#
        + #""durationMs":"42","endpointId":"ep-acme"\#(extra)}"#
}

@Test(arguments: [
    ("POST", "/scim/v2/Users", "", "create"), ("DELETE", "/scim/v2/Users/u1", "", "delete"),
    ("PATCH", "/Users/u1", "", "update"), ("PUT", "/Users/u1?attributes=active", "", "update"),
    ("PATCH", "/Users/u1", #","operation":"disable""#, "disable"), ("GET", "/Users?filter=x", "", "read"),
    ("POST", "/scim/v2/Users/.search", "", "read"), ("POST", "/Groups", "", "group_update"),
    ("PATCH", "/Groups/g1", "", "group_update"), ("PATCH", "/Groups/g1", #","operation":"group_add""#, "group_add"),
    ("DELETE", "/Groups/g1", "", "group_update"), ("POST", "/scim/v2/Bulk", "", "unknown"),
    ("GET", "/ServiceProviderConfig", "", "read"),
])
func scimServerMapsMethodAndPathToTheOperation(method: String, path: String, extra: String, operation: String) throws {
    var labels = Labels()
    let events = try parse(.scimServer(SCIMServerParser()), scimLine(method, path, extra), &labels)
    #expect(events.map(\.operation.name) == [operation])
}

@Test func scimServerRequestBecomesAnAttemptWithItsStatus() throws {
    var labels = Labels()
    let parser = SourceParser.scimServer(SCIMServerParser())
    let events = try parse(parser, scimLine("DELETE", "/scim/v2/Users/2819c223", status: 404, #","requestId":"rq-9""#), &labels)
    #expect(events.map { render($0, labels) } == ["2026-11-16T00:00:01.500Z ep-acme ep-acme delete attempt status=404 "
        + "outcome=- duration=42.0 attempt=0 bulk=-1/-1 id=\(byteHash("rq-9")) subject=2819c223 correlation=-"])
    let named = scimLine("POST", "/Users", status: 201, #","tenant":"acme","target":"jira","resourceId":"r7""#)
    let event = try #require(try parse(parser, named, &labels).first)
    #expect(labels.tenants.values[Int(event.tenant)] == "acme" && labels.targets.values[Int(event.target)] == "jira")
    #expect(event.subject == "r7" && event.countedStatus == 201)
    let epoch = try parse(parser, scimLine("GET", "/Users").replacingOccurrences(of: #""2026-11-16T00:00:01.5Z""#, with: "1763251201500"), &labels)
    #expect(epoch.first?.time == 1_763_251_201_500)
}

@Test func scimServerBulkCountsFailedOperations() throws {
    var labels = Labels()
    let parser = SourceParser.scimServer(SCIMServerParser())
    let list = #","bulkOperations":[{"method":"POST","status":"201"},{"method":"POST","status":409},"#
        + #"{"method":"DELETE","status":"404"},{"method":"PATCH","status":"500"}]"#
    let listed = try parse(parser, scimLine("POST", "/scim/v2/Bulk", list), &labels)
    #expect(listed.first?.bulkTotal == 4 && listed.first?.bulkFailed == 2)
    let explicit = try parse(parser, scimLine("POST", "/Bulk", #","bulkTotal":10,"bulkFailed":3"#), &labels)
    #expect(explicit.first?.bulkTotal == 10 && explicit.first?.bulkFailed == 3)
    #expect(rejection(parser, scimLine("POST", "/Bulk", #","bulkTotal":1,"bulkFailed":3"#)) == .wrongType)
}

@Test func scimServerSkipsNonSCIMRequestsAndRejectsBadLines() throws {
    var labels = Labels()
    let parser = SourceParser.scimServer(SCIMServerParser())
    #expect(try parse(parser, scimLine("GET", "/healthz"), &labels).isEmpty)
    #expect(try parse(parser, scimLine("OPTIONS", "/Users"), &labels).isEmpty)
    #expect(rejection(parser, scimLine("BREW", "/Users")) == .unknownValue)
    #expect(rejection(parser, scimLine("PATCH", "/Users/u1", #","operation":"deactivate""#)) == .unknownValue)
    #expect(rejection(parser, scimLine("GET", "/Users").replacingOccurrences(of: #""status":200,"#, with: "")) == .missingField)
    #expect(rejection(parser, scimLine("GET", "/Users").replacingOccurrences(of: "200", with: "true")) == .wrongType)
    #expect(rejection(parser, scimLine("GET", "/Users", status: 1200)) == .unknownValue)
    #expect(rejection(parser, scimLine("GET", "/Users").replacingOccurrences(of: #","endpointId":"ep-acme""#, with: "")) == .missingField)
    #expect(rejection(parser, scimLine("GET", "/Users").replacingOccurrences(of: "01.5Z", with: "01.5")) == .badTime)
    #expect(rejection(parser, "{\"method\":\"GET\"") == .invalidJSON)
    let bound = labels.tenants.intern("acme")
    let events = try parse(.scimServer(SCIMServerParser(boundTenant: bound)), scimLine("GET", "/Users", #","tenant":"evil""#), &labels)
    #expect(events.first?.tenant == bound && !labels.tenants.values.contains("evil"))
}

// MARK: - Mapped JSON

private let exampleMapping = FieldMapping(rules: [
    "time": .path("ts"), "tenant": .constant("acme"), "target": .path("app.name"),
    "operation": .path("action", map: ["deactivate": "disable", "provision": "create"]),
    "subject": .path("user.id"), "status": .path("http.code"), "outcome": .path("result", map: ["0": "success", "1": "failure"]),
    "duration_ms": .path("timings.0.ms"), "id": .path("eventId"),
])

@Test func mappedJSONReadsPathsMapsValuesAndUsesConstants() throws {
    var labels = Labels()
    let line = #"{"ts":"2026-11-16T00:00:02+01:00","action":"deactivate","app":{"name":"jira"},"user":{"id":123},"#
        + #""http":{"code":204},"result":0,"timings":[{"ms":17.5}],"eventId":"e-1"}"#
    let events = try parse(.json(MappedJSONParser(mapping: exampleMapping)), line, &labels)
    #expect(events.map { render($0, labels) } == ["2026-11-15T23:00:02.000Z acme jira disable attempt status=204 "
        + "outcome=success duration=17.5 attempt=0 bulk=-1/-1 id=\(byteHash("e-1")) subject=123 correlation=-"])
    let plain = #"{"ts":1763251201500,"action":"update","app":{"name":"zoom"},"http":{"code":null}}"#
    let event = try #require(try parse(.json(MappedJSONParser(mapping: exampleMapping)), plain, &labels).first)
    #expect(event.time == 1_763_251_201_500 && event.operation == .update && event.status == -1 && event.subject == nil)
}

@Test func mappedJSONWithIdentityMappingMatchesTheNativeParser() throws {
    let fields = ["time", "tenant", "target", "operation", "phase", "id", "subject", "correlation_id", "status",
                  "outcome", "duration_ms", "attempt", "bulk_total", "bulk_failed"]
    let mapping = FieldMapping(rules: Dictionary(uniqueKeysWithValues: fields.map { ($0, FieldMapping.Rule.path($0)) }))
    var nativeLabels = Labels(), mappedLabels = Labels()
    let lines = try sampleLines("native.jsonl")
    let native = try parseAll(.native(NativeParser()), lines, &nativeLabels).map { render($0, nativeLabels) }
    let mapped = try parseAll(.json(MappedJSONParser(mapping: mapping)), lines, &mappedLabels).map { render($0, mappedLabels) }
    #expect(native.count == lines.count)
    #expect(mapped == native)
}

@Test func mappedJSONRejectsBadValuesLikeTheNativeFormat() {
    let parser = SourceParser.json(MappedJSONParser(mapping: exampleMapping))
    let base = #"{"ts":"2026-11-16T00:00:02Z","action":"update","app":{"name":"jira"}"#
    #expect(rejection(parser, base + "}") == nil)
    #expect(rejection(parser, base) == .invalidJSON)
    #expect(rejection(parser, Array(base.utf8) + [0xED, 0xA0, 0x80, 0x7D]) == .invalidUTF8)
    #expect(rejection(parser, #"{"action":"update","app":{"name":"jira"}}"#) == .missingField)
    #expect(rejection(parser, base + #","http":{"code":"200"}}"#) == .wrongType)
    #expect(rejection(parser, base + #","result":"maybe"}"#) == .unknownValue)
    #expect(rejection(parser, base.replacingOccurrences(of: "update", with: "upsert") + "}") == .unknownValue)
    #expect(rejection(parser, base.replacingOccurrences(of: "02Z", with: "02") + "}") == .badTime)
    #expect(rejection(parser, base.replacingOccurrences(of: #""jira""#, with: "[1]") + "}") == .wrongType)
    #expect(rejection(parser, base.replacingOccurrences(of: #""jira""#, with: #""""#) + "}") == .missingField)
}

@Test func mappedJSONBoundTenantIgnoresTheLinesTenant() throws {
    var labels = Labels()
    let bound = labels.tenants.intern("bound")
    var mapping = exampleMapping
    mapping.rules["tenant"] = .path("org")
    let line = #"{"ts":"2026-11-16T00:00:02Z","action":"update","app":{"name":"jira"},"org":"other"}"#
    #expect(try parse(.json(MappedJSONParser(mapping: mapping, boundTenant: bound)), line, &labels).first?.tenant == bound)
    #expect(!labels.tenants.values.contains("other"))
    #expect(rejection(.json(MappedJSONParser(mapping: mapping)), line.replacingOccurrences(of: #","org":"other""#, with: ""))
        == .missingField)
}

@Test func fieldMappingValidationReportsEveryProblem() {
    var mapping = FieldMapping(rules: ["time": .path("ts"), "colour": .path("c"), "status": FieldMapping.Rule(),
                                       "target": .path("a..b"), "reason": .path("why")])
    #expect(mapping.validate(tenantBound: false) == [
        FieldMapping.Problem(key: "colour", reason: "not a canonical event field"),
        FieldMapping.Problem(key: "operation", reason: "required field has no rule"),
        FieldMapping.Problem(key: "status", reason: "rule has neither path nor value"),
        FieldMapping.Problem(key: "target", reason: "path has an empty part"),
        FieldMapping.Problem(key: "tenant", reason: "required field has no rule"),
    ])
    mapping = exampleMapping
    mapping.rules["tenant"] = nil
    #expect(FieldMapping.validate(mapping, tenantBound: true).isEmpty)
    #expect(mapping.validate(tenantBound: false).map(\.key) == ["tenant"])
}
