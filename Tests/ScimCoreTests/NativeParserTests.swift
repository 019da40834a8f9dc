import ScimCore
import Testing

/// Parses one line with the native parser.
func parseNative(_ line: String, labels: inout Labels, bound: LabelID? = nil) -> Result<[Event], ParseError> {
    parseNativeBytes(Array(line.utf8), labels: &labels, bound: bound)
}

func parseNativeBytes(_ line: [UInt8], labels: inout Labels, bound: LabelID? = nil) -> Result<[Event], ParseError> {
    var events: [Event] = []
    var bytes = line
    let failure: ParseError? = bytes.withUnsafeMutableBytes { raw in
        do throws(ParseError) {
            try NativeParser(boundTenant: bound).parse(UnsafeRawBufferPointer(raw), labels: &labels, into: &events)
            return nil
        } catch {
            return error
        }
    }
    return failure.map { .failure($0) } ?? .success(events)
}

@Suite struct NativeParserTests {
    @Test func readsEveryFieldInAnyOrder() throws {
        var labels = Labels()
        let line = #"{"duration_ms":"12.5","attempt":2,"status":429,"phase":"attempt","id":"ev-9","subject":"u1","correlation_id":"c-1","operation":"disable","target":"github","tenant":"acme","time":"2026-11-16T00:00:16.572+01:00","bulk_total":10,"bulk_failed":3,"retry_after_s":30,"reason":"slow down","extra":{"nested":[1,2,{"a":null}]}}"#
        let event = try #require(try parseNative(line, labels: &labels).get().first)
        #expect(event.time == EventTime.parseRFC3339("2026-11-15T23:00:16.572Z"))
        #expect(labels.tenants.values[Int(event.tenant)] == "acme")
        #expect(labels.targets.values[Int(event.target)] == "github")
        #expect(event.operation == .disable)
        #expect(event.status == 429)
        #expect(event.durationMs == 12.5)
        #expect(event.attempt == 2)
        #expect(event.bulkTotal == 10 && event.bulkFailed == 3)
        #expect(event.subject == "u1" && event.correlationID == "c-1")
        #expect(event.idHash == byteHash("ev-9"))
    }

    @Test func acceptsEpochMillisecondsEscapesAndCRLF() throws {
        var labels = Labels()
        let line = "{\"time\":1763251216572,\"tenant\":\"a\\u0063me\",\"target\":\"git\\\"hub\",\"operation\":\"create\",\"outcome\":\"success\"}\r"
        let event = try #require(try parseNative(String(line.dropLast()), labels: &labels).get().first)
        #expect(event.time == 1_763_251_216_572)
        #expect(labels.tenants.values[Int(event.tenant)] == "acme")
        #expect(labels.targets.values[Int(event.target)] == "git\"hub")
        #expect(event.countedStatus == 200)
    }

    @Test func boundTenantOverridesTheLine() throws {
        var labels = Labels()
        let bound = labels.tenants.intern("bound")
        let line = #"{"time":"2026-11-16T00:00:00Z","tenant":"evil","target":"t","operation":"read","status":200}"#
        let event = try #require(try parseNative(line, labels: &labels, bound: bound).get().first)
        #expect(event.tenant == bound)
        #expect(!labels.tenants.values.contains("evil"))
    }

    @Test(arguments: [
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create""#, ParseErrorReason.invalidJSON),
        ("garbage \u{01} here", .invalidJSON),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create"} trailing"#, .invalidJSON),
        (#"{"time":"yesterday","tenant":"a","target":"t","operation":"create"}"#, .badTime),
        (#"{"time":"2026-13-16T00:00:00Z","tenant":"a","target":"t","operation":"create"}"#, .badTime),
        (#"{"tenant":"a","target":"t","operation":"create"}"#, .missingField),
        (#"{"time":"2026-11-16T00:00:00Z","target":"t","operation":"create"}"#, .missingField),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"","target":"t","operation":"create"}"#, .missingField),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"explode"}"#, .unknownValue),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create","phase":"later"}"#, .unknownValue),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create","status":"200"}"#, .wrongType),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":7,"target":"t","operation":"create"}"#, .wrongType),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create","attempt":0}"#, .wrongType),
        (#"{"time":"2026-11-16T00:00:00Z","tenant":"a","target":"t","operation":"create","duration_ms":"fast"}"#, .wrongType),
        (#"["not","an","object"]"#, .invalidJSON),
    ])
    func badLinesAreRejectedWithTheirReason(line: String, reason: ParseErrorReason) {
        var labels = Labels()
        #expect(throws: ParseError.self) { try parseNative(line, labels: &labels).get() }
        if case .failure(let error) = parseNative(line, labels: &labels) { #expect(error.reason == reason) }
    }

    @Test func invalidUTF8AndNULBytesAreRejected() throws {
        var labels = Labels()
        for bad: [UInt8] in [[0xFF, 0xFE], [0xC3, 0x28], [0x00]] {
            let bytes = Array(#"{"time":"2026-11-16T00:00:00Z","tenant":"a"#.utf8) + bad
                + Array(#"","target":"t","operation":"create"}"#.utf8)
            guard case .failure(let error) = parseNativeBytes(bytes, labels: &labels) else {
                Issue.record("accepted invalid bytes \(bad)")
                continue
            }
            #expect(error.reason == .invalidUTF8)
        }
    }

    @Test func parsesEverySampleLine() throws {
        let text = try String(contentsOfFile: sampleFile("native.jsonl"), encoding: .utf8)
        var labels = Labels()
        var count = 0
        for line in text.split(separator: "\n") {
            count += try parseNative(String(line), labels: &labels).get().count
        }
        #expect(count == 45)
        #expect(labels.targets.values.contains("workday-sink"))
    }
}

/// A file of `Tests/Fixtures/samples` (a copy of `../shared/samples`), found from this file's location.
func sampleFile(_ name: String) -> String {
    var url = #filePath.split(separator: "/").dropLast(2).map(String.init)
    url.append(contentsOf: ["Fixtures", "samples", name])
    return "/" + url.joined(separator: "/")
}
