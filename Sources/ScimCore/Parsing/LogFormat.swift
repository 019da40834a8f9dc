/// The input formats a log source can have (events.md).
public enum LogFormat: String, CaseIterable, Sendable, Codable {
    case native
    case okta
    case entra
    case scimServer = "scim-server"
    case json
}

/// One source's parser, chosen by its format. An enum rather than a protocol existential so the
/// per-line call is a static dispatch.
public enum SourceParser: Sendable {
    case native(NativeParser)
    case okta(OktaParser)
    case entra(EntraParser)
    case scimServer(SCIMServerParser)
    case json(MappedJSONParser)

    /// Parses one line into zero or more events.
    @inline(__always)
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        switch self {
        case .native(let p): try p.parse(line, labels: &labels, into: &events)
        case .okta(let p): try p.parse(line, labels: &labels, into: &events)
        case .entra(let p): try p.parse(line, labels: &labels, into: &events)
        case .scimServer(let p): try p.parse(line, labels: &labels, into: &events)
        case .json(let p): try p.parse(line, labels: &labels, into: &events)
        }
    }
}
