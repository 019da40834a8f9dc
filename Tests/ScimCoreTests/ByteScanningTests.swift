@testable import ScimCore
import Testing

/// The word-at-a-time scans of the hot path against plain byte loops: the hash is persisted (event ids,
/// operation keys), so it must not change, and the string and key scans must stop where a byte loop
/// would, wherever the special byte falls within a word.
@Suite struct ByteScanningTests {
    /// The byte-at-a-time tail of ``byteHash(_:_:)`` as first written (and persisted).
    static func referenceHash(_ bytes: [UInt8]) -> UInt64 {
        func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            var word: UInt64 = 0
            for k in 0..<8 { word |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            h = mix(h ^ word, 0xA076_1D64_78BD_642F)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = mix(h ^ tail ^ 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3)
        return h == 0 ? 1 : h
    }

    @Test func hashIsTheByteLoopsForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let hash = bytes.withUnsafeBytes { byteHash($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count) }
                #expect(hash == Self.referenceHash(bytes), "length \(length)")
            }
        }
        // Values persisted by earlier versions.
        #expect(byteHash("ev-9") == Self.referenceHash(Array("ev-9".utf8)))
        #expect(byteHash("u185873166") == Self.referenceHash(Array("u185873166".utf8)))
    }

    /// Where a byte loop stops in a string body: the index of the first `"`, `\`, control or non-ASCII byte.
    static func firstSpecial(_ bytes: [UInt8]) -> Int? {
        bytes.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 }
    }

    @Test func specialBytesFindsTheFirstStopInAWord() {
        let stops: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x1F, 0x80, 0xC3, 0xFF]
        let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x61, 0x7F, 0x30]
        for position in 0..<8 {
            for stop in stops {
                for filler in plain {
                    var word = [UInt8](repeating: filler, count: 8)
                    word[position] = stop
                    // Bytes after the stop may be anything, other stops included.
                    if position < 7 { word[7] = stops[(position + Int(stop)) % stops.count] }
                    let value = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let special = JSONCursor.specialBytes(value)
                    #expect(special != 0)
                    #expect(special.trailingZeroBitCount >> 3 == Self.firstSpecial(word), "\(word)")
                }
            }
        }
        for filler in plain {
            let value = [UInt8](repeating: filler, count: 8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(JSONCursor.specialBytes(value) == 0)
        }
    }

    @Test func stringTokensEndAtTheirQuoteWhateverTheLength() throws {
        for length in 0...40 {
            for trailer in ["", "}", ",\"k\":1}", "                  }"] {
                let body = String((0..<length).map { Character(UnicodeScalar(UInt8(0x61 + $0 % 26))) })
                for variant in [body, body.isEmpty ? body : "é" + body.dropFirst(), length < 2 ? body : "\\\"" + body.dropFirst(2)] {
                    let text = Array("\"\(variant)\"\(trailer)".utf8)
                    let token = try text.withUnsafeBytes { raw throws(ParseError) in
                        var c = JSONCursor(raw)
                        let token = try c.readString()
                        #expect(c.position == variant.utf8.count + 2)
                        return token
                    }
                    #expect(token.count == variant.utf8.count)
                    #expect(token.hasEscapes == variant.contains("\\"))
                }
            }
        }
    }

    @Test func stringScanStillRejectsControlAndBadUTF8AnywhereInAWord() {
        for position in 0..<20 {
            for (bad, reason) in [(UInt8(0x0A), ParseErrorReason.invalidJSON), (0x00, .invalidUTF8), (0xFF, .invalidUTF8)] {
                var text = Array("\"".utf8) + [UInt8](repeating: 0x61, count: 20) + Array("\",\"tail\":\"xxxxxxxx\"}".utf8)
                text[1 + position] = bad
                let failure: ParseError? = text.withUnsafeBytes { raw in
                    var c = JSONCursor(raw)
                    do throws(ParseError) { _ = try c.readString(); return nil } catch { return error }
                }
                #expect(failure?.reason == reason, "byte \(bad) at \(position)")
            }
        }
    }

    @Test func keysOfEveryLengthAndSpacingMatchLikeTheGeneralPath() throws {
        // Known keys, unknown keys of 0 to 20 bytes, escaped and non-ASCII keys, near and far from the end.
        let unknown = (0...20).map { String(repeating: "k", count: $0) }
        for filler in unknown + ["tïme", "time ", "tenant_", "k\\\"k"] {
            for pad in ["", " ", "   "] {
                let line = "{\"\(filler)\"\(pad):1,\"tenant\":\"a\",\"target\":\"t\",\"operation\":\"read\",\"status\":200,\"time\":1763251216572\(pad),\"\(filler)\":\"x\"}"
                var labels = Labels()
                let event = try #require(try parseNative(line, labels: &labels).get().first, "\(line)")
                #expect(event.time == 1_763_251_216_572)
                #expect(event.status == 200 && event.operation == .read)
                #expect(labels.tenants.values[Int(event.tenant)] == "a")
            }
        }
        var escaped = Labels()
        let spelled = try #require(try parseNative(#"{"t\u0069me":5,"tenant":"a","target":"t","operation":"read","status":200}"#, labels: &escaped).get().first)
        #expect(spelled.time == 5, "an escaped key is the key it spells")
        // The shortest complete line: every key within 17 bytes of the end takes the general path.
        var labels = Labels()
        let short = try #require(try parseNative(#"{"target":"t","tenant":"a","time":1,"operation":"read"}"#, labels: &labels).get().first)
        #expect(short.operation == .read && short.time == 1)
    }

    @Test func integersReadByTheFastPathOrTheGeneralOneAgree() {
        let cases: [(String, Int16?, ParseErrorReason?)] = [
            ("429", 429, nil), ("429.0", 429, nil), ("4.29e2", 429, nil), ("42.9E1", 429, nil), ("0", 0, nil),
            ("-3", nil, .unknownValue), ("429.5", nil, .wrongType), ("\"429\"", nil, .wrongType),
            ("1234567890123456", nil, .wrongType), ("123456789012345", nil, .unknownValue), ("999", 999, nil), ("1000", nil, .unknownValue), ("42x", nil, .invalidJSON),
        ]
        for (status, expected, reason) in cases {
            for tail in [",\"tenant\":\"a\"}", "}", " }"] {
                let head = "{\"time\":1,\"target\":\"t\",\"operation\":\"read\"" + (tail == "}" || tail == " }" ? ",\"tenant\":\"a\"" : "")
                var labels = Labels()
                switch parseNative(head + ",\"status\":" + status + tail, labels: &labels) {
                case .success(let events):
                    #expect(events.first?.status == expected, "status \(status)\(tail)")
                    #expect(reason == nil, "status \(status) should fail")
                case .failure(let error):
                    #expect(error.reason == reason, "status \(status)\(tail)")
                    #expect(expected == nil, "status \(status) should parse")
                }
            }
        }
    }
}
