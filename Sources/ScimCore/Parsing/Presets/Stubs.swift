// Placeholders replaced by the preset parsers.
public struct OktaParser: Sendable {
    public var boundTenant: LabelID?
    public init(boundTenant: LabelID? = nil) { self.boundTenant = boundTenant }
    public func parse(_ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]) throws(ParseError) {
        throw ParseError(.invalidJSON)
    }
}
public struct EntraParser: Sendable {
    public var boundTenant: LabelID?
    public init(boundTenant: LabelID? = nil) { self.boundTenant = boundTenant }
    public func parse(_ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]) throws(ParseError) {
        throw ParseError(.invalidJSON)
    }
}
public struct SCIMServerParser: Sendable {
    public var boundTenant: LabelID?
    public init(boundTenant: LabelID? = nil) { self.boundTenant = boundTenant }
    public func parse(_ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]) throws(ParseError) {
        throw ParseError(.invalidJSON)
    }
}
public struct MappedJSONParser: Sendable {
    public var boundTenant: LabelID?
    public init(boundTenant: LabelID? = nil) { self.boundTenant = boundTenant }
    public func parse(_ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]) throws(ParseError) {
        throw ParseError(.invalidJSON)
    }
}
