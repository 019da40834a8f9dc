/// One event about to be written as a `native` line. Sentinels mark absent optional fields.
struct SimLine {
    var time: Int64
    var tenant: Int
    var target: Int
    var operation: OperationKind
    var phase: Phase
    var subject: UInt64 = SimPending.noSubject
    var correlation: UInt64 = 0
    /// -1 = absent.
    var status = -1
    var durationMs = -1
    var attempt = 0
    var retryAfterS = -1
    var errorCode: SimErrorCode?
    var bulkTotal = -1
    var bulkFailed = -1
    var outcome: Outcome?
    /// Index into the identity-provider names; -1 = absent.
    var idp = -1
}

/// `error_code` values the simulator writes on failed attempts.
enum SimErrorCode: UInt8 {
    case badRequest, invalidToken, forbidden, uniqueness, tooManyRequests, serverError, badGateway
    case unavailable, gatewayTimeout, timeout, retriesExhausted

    init(status: Int) {
        switch status {
        case 0: self = .timeout
        case 401: self = .invalidToken
        case 403: self = .forbidden
        case 409: self = .uniqueness
        case 429: self = .tooManyRequests
        case 502: self = .badGateway
        case 503: self = .unavailable
        case 504: self = .gatewayTimeout
        case 500...599: self = .serverError
        default: self = .badRequest
        }
    }

    var text: StaticString {
        switch self {
        case .badRequest: "invalidValue"
        case .invalidToken: "invalid_token"
        case .forbidden: "forbidden"
        case .uniqueness: "uniqueness"
        case .tooManyRequests: "too_many_requests"
        case .serverError: "internal_error"
        case .badGateway: "bad_gateway"
        case .unavailable: "service_unavailable"
        case .gatewayTimeout: "gateway_timeout"
        case .timeout: "timeout"
        case .retriesExhausted: "retries_exhausted"
        }
    }
}

/// Writes bytes into a buffer known to be large enough for one line (no bounds checks in release).
struct SimLineWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>) {
        self.base = base
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        (base + count).update(from: s.utf8Start, count: n)
        count += n
    }

    @inline(__always)
    mutating func bytes(_ a: [UInt8]) {
        a.withUnsafeBufferPointer { buffer in
            if let from = buffer.baseAddress { (base + count).update(from: from, count: buffer.count) }
        }
        count += a.count
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    mutating func decimal(_ value: UInt64) {
        var v = value
        var digits = 1
        var probe = v
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var at = count + digits - 1
        repeat {
            base[at] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
            at -= 1
        } while v > 0
        count += digits
    }

    @inline(__always)
    mutating func decimal(_ value: Int) {
        decimal(UInt64(max(value, 0)))
    }

    /// `value` in decimal, left-padded with zeros to `width` digits (value < 10^width).
    @inline(__always)
    mutating func padded(_ value: Int, width: Int) {
        var v = value
        var at = count + width - 1
        while at >= count {
            base[at] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
            at -= 1
        }
        count += width
    }

    /// The low `digits` nibbles of `value` in lowercase hex.
    @inline(__always)
    mutating func hex(_ value: UInt64, digits: Int) {
        var v = value
        var at = count + digits - 1
        while at >= count {
            let nibble = UInt8(truncatingIfNeeded: v & 0xF)
            base[at] = nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
            v >>= 4
            at -= 1
        }
        count += digits
    }

    /// `HH:MM:SS.mmmZ` for a millisecond of the day.
    @inline(__always)
    mutating func timeOfDay(_ msOfDay: Int) {
        let seconds = msOfDay / 1000
        padded(seconds / 3600, width: 2)
        byte(UInt8(ascii: ":"))
        padded(seconds / 60 % 60, width: 2)
        byte(UInt8(ascii: ":"))
        padded(seconds % 60, width: 2)
        byte(UInt8(ascii: "."))
        padded(msOfDay % 1000, width: 3)
        byte(UInt8(ascii: "Z"))
    }

    /// A string's bytes as the inside of a JSON string literal (quotes, backslashes, controls escaped).
    static func escaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                let digits = Array("0123456789abcdef".utf8)
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0xF)])
            default:
                out.append(b)
            }
        }
        return out
    }
}
