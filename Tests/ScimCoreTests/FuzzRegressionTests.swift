import ScimCore
import Testing

/// Inputs that must be counted, never crash: the JSON nesting limit, and each crash that fuzzing
/// (scripts/fuzz.sh) found, with its input.
@Suite struct FuzzRegressionTests {
    static let levels = 5_000
    static let arrays = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    static let objects = String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)

    static let formats: [SourceFormat] = [
        SourceFormat(format: .native), SourceFormat(format: .okta, tenant: "acme"), SourceFormat(format: .entra),
        SourceFormat(format: .scimServer),
        SourceFormat(format: .json, mapping: FieldMapping(rules: [
            "time": .path("ts"), "tenant": .path("org"), "target": .path("app"), "operation": .path("op"),
        ])),
    ]

    /// The parse errors of `text` fed to a fresh engine as a source of `format`, as replay does.
    func parseErrors(_ text: String, _ format: SourceFormat) -> [UInt64] {
        var engine = IngestEngine()
        let source = engine.registerSource("s", format: format)
        ingest(text, into: &engine, source: source)
        engine.finishDocuments()
        #expect(engine.sources[source].events == 0)
        return engine.sources[source].parseErrors
    }

    @Test(arguments: formats)
    func deepNestingIsACountedParseError(format: SourceFormat) {
        let lines = [Self.arrays, Self.objects, #"{"x":"# + Self.arrays + "}"]
        let errors = parseErrors(lines.joined(separator: "\n") + "\n", format)
        #expect(errors.reduce(0, +) == 3)
        // The native parser rejects a line that is not an object before it reads any nesting.
        #expect(errors[Int(ParseErrorReason.tooDeep.rawValue)] == (format.format == .native ? 2 : 3))
    }

    @Test func deepNestingOverManyLinesIsACountedParseErrorOfTheEntraDocument() {
        let open = String(repeating: "[\n", count: Self.levels), close = String(repeating: "]\n", count: Self.levels)
        let errors = parseErrors(open + close + open, SourceFormat(format: .entra))
        #expect(errors[Int(ParseErrorReason.tooDeep.rawValue)] == 1)
        #expect(errors[Int(ParseErrorReason.invalidJSON.rawValue)] == 1, "the document left open at the end")
    }

    @Test func nestingUpToTheLimitIsRead() {
        let depth = JSONCursor.maxDepth
        let ok = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect((try? JSONValue.parse(Array(ok.utf8))) != nil)
        #expect(throws: ParseError(.tooDeep)) { try JSONValue.parse(Array(("[" + ok + "]").utf8)) }
    }

    @Test func deepNestingIsAnInvalidPollAnswer() {
        for decoder in [PollDecoder(format: .native), PollDecoder(format: .entraSyncJob, target: "t"),
                        PollDecoder(format: .json, mapping: PollMapping(quarantined: "a"))] {
            for body in [Self.arrays, Self.objects] {
                guard case .failure(let failure) = decoder.decode(Array(body.utf8)) else {
                    Issue.record("\(decoder.format) decoded \(body.prefix(8))")
                    continue
                }
                #expect(failure == PollFailure(.invalidJSON, "the body is not JSON (too_deep)"))
            }
        }
    }
}
