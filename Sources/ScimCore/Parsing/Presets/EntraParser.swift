/// Parses Microsoft Entra provisioning logs (preset `entra`, events.md).
///
/// A line may hold one Graph `provisioningObjectSummary`, a Graph page `{"value": [...]}`, a JSON array
/// (the portal download), an Azure Monitor diagnostic envelope (record under `properties`), or an Azure
/// Monitor export batch `{"records": [...]}` of envelopes. Keys are matched ignoring case, because the
/// same record arrives camelCase through Graph and PascalCase through Azure Monitor.
///
/// Choices the spec leaves open:
/// - A line with several records is all or nothing: one bad record makes the whole line one parse
///   error (the unit of `scimwatch_log_parse_errors_total`), and none of its events are kept.
/// - Envelopes of another `category` (audit or sign-in logs in the same stream) yield no event.
/// - No `correlation_id`: `changeId` (the envelope's `correlationId`) is new in every cycle, and Entra
///   retries a failure in a later cycle, so it would split one operation; the subject ties them.
/// - Group objects (`sourceIdentity.identityType` Group): every change to the group is `group_update`
///   (membership class), so group lifecycles never count as user provisioning or deprovisioning.
/// - Numeric enums follow the Graph declaration order: status success=0 failure=1 skipped=2
///   warning=3; provisioningAction other=0 create=1 delete=2 disable=3 update=4 stagedDelete=5.
/// - Status falls back from `provisioningStatusInfo.status` to the deprecated `statusInfo.status`, then
///   to the envelope's `resultType`.
public struct EntraParser: Sendable {
    /// A tenant fixed by the configuration (interned); any `tenantId` in a line is then ignored.
    public var boundTenant: LabelID?

    /// Creates a parser.
    public init(boundTenant: LabelID? = nil) {
        self.boundTenant = boundTenant
    }

    /// Parses one line and appends one event per provisioning record in it.
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        let root = try JSONValue.parse(line)
        let start = events.count
        do throws(ParseError) {
            switch root {
            case .array(let items):
                for item in items { try record(item, labels: &labels, into: &events) }
            case .object:
                if let items = (root["value"] ?? root["records"])?.arrayValue {
                    for item in items { try record(item, labels: &labels, into: &events) }
                } else {
                    try record(root, labels: &labels, into: &events)
                }
            default:
                throw ParseError(.wrongType, "record")
            }
        } catch {
            events.removeSubrange(start...)
            throw error
        }
    }

    /// One record, bare or in a diagnostic envelope.
    private func record(_ item: JSONValue, labels: inout Labels, into events: inout [Event]) throws(ParseError) {
        guard case .object = item else { throw ParseError(.wrongType, "record") }
        var envelope: JSONValue?
        var record = item
        if item.member("provisioningAction") == nil, let properties = item.member("properties") {
            if let category = item.member("category"),
               category.stringValue?.lowercased() != "provisioninglogs" { return }
            envelope = item
            switch properties {
            case .object: record = properties
            // Some exports serialise `properties` as a JSON string.
            case .string(let text): record = try JSONValue.parse(Array(text.utf8))
            default: throw ParseError(.wrongType, "properties")
            }
            guard case .object = record else { throw ParseError(.wrongType, "properties") }
        }
        func field(_ name: String, envelope key: String) -> JSONValue? {
            record.member(name) ?? envelope?.member(key)
        }

        let isGroup = record.member(path: "sourceIdentity", "identityType")?.stringValue?.lowercased() == "group"
        var operation = try Self.operation(record.member("provisioningAction"))
        if isGroup, operation != .read { operation = .groupUpdate }

        let time = try PresetValue.time(field("activityDateTime", envelope: "time"), "activityDateTime", allowNumber: false)
        let tenant = try PresetValue.tenant(
            bound: boundTenant, try PresetValue.string(field("tenantId", envelope: "tenantId"), "tenantId"),
            labels: &labels, "tenantId")
        let service = record.member("servicePrincipal")
        let targetName = try PresetValue.string(service?.member("displayName") ?? service?.member("name"),
                                                "servicePrincipal.displayName")
        let target = try PresetValue.label(targetName, in: &labels.targets, "servicePrincipal.displayName")

        var event = Event(time: time, tenant: tenant, target: target, operation: operation)
        if let id = try PresetValue.string(record.member("id"), "id"), !id.isEmpty { event.idHash = byteHash(id) }
        if let subject = try PresetValue.string(record.member(path: "sourceIdentity", "id"), "sourceIdentity.id"),
           !subject.isEmpty {
            event.subject = subject
        }
        event.durationMs = try PresetValue.duration(field("durationInMilliseconds", envelope: "durationMs"),
                                                    "durationInMilliseconds")

        let status = record.member(path: "provisioningStatusInfo", "status")
            ?? record.member(path: "statusInfo", "status") ?? envelope?.member("resultType")
        switch try Self.result(status) {
        case .success, .warning:
            event.outcome = .success
        case .skipped:
            event.outcome = .skipped
        case .failure:
            event.outcome = .failure
            event.status = Self.httpStatus(record, envelope) ?? 0
        }
        events.append(event)
    }

    // MARK: - Enums

    enum Result { case success, failure, skipped, warning }

    static func result(_ value: JSONValue?) throws(ParseError) -> Result {
        let field = "provisioningStatusInfo.status"
        switch value {
        case nil: throw ParseError(.missingField, field)
        case .string(let s)?:
            switch s.lowercased() {
            case "success", "succeeded": return .success
            case "failure", "failed": return .failure
            case "skipped": return .skipped
            case "warning": return .warning
            default: throw ParseError(.unknownValue, field)
            }
        case .number(let n)?:
            switch n {
            case 0: return .success
            case 1: return .failure
            case 2: return .skipped
            case 3: return .warning
            default: throw ParseError(.unknownValue, field)
            }
        default: throw ParseError(.wrongType, field)
        }
    }

    static func operation(_ value: JSONValue?) throws(ParseError) -> OperationKind {
        let field = "provisioningAction"
        switch value {
        case nil: throw ParseError(.missingField, field)
        case .string(let s)?:
            switch s.lowercased() {
            case "create": return .create
            case "update": return .update
            case "disable": return .disable
            case "delete", "stageddelete": return .delete
            case "other": return .read
            default: throw ParseError(.unknownValue, field)
            }
        case .number(let n)?:
            switch n {
            case 0: return .read
            case 1: return .create
            case 2, 5: return .delete
            case 3: return .disable
            case 4: return .update
            default: throw ParseError(.unknownValue, field)
            }
        default: throw ParseError(.wrongType, field)
        }
    }

    // MARK: - HTTP status

    /// The status in "HTTP status code NNN" anywhere Entra puts error text: the `errorInformation` of
    /// `provisioningStatusInfo` or of the record, the deprecated `statusInfo` (whose details sit at its
    /// own level), and the envelope's `resultDescription`.
    static func httpStatus(_ record: JSONValue, _ envelope: JSONValue?) -> Int16? {
        let holders = [
            record.member(path: "provisioningStatusInfo", "errorInformation"),
            record.member("errorInformation"),
            record.member("statusInfo"),
        ]
        for holder in holders {
            for key in ["reason", "additionalDetails"] {
                if let text = holder?.member(key)?.stringValue, let status = httpStatus(in: text) { return status }
            }
        }
        if let text = envelope?.member("resultDescription")?.stringValue { return httpStatus(in: text) }
        return nil
    }

    /// Finds "HTTP status code" (any case), optional `:` or spaces, then three digits.
    static func httpStatus(in text: String) -> Int16? {
        let bytes = Array(text.utf8)
        let needle = Array("http status code".utf8)
        guard bytes.count > needle.count else { return nil }
        var i = 0
        while i + needle.count <= bytes.count {
            var matches = true
            for k in 0..<needle.count where bytes[i + k] | 0x20 != needle[k] | 0x20 {
                matches = false
                break
            }
            if matches {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: ":") { j += 1 }
                var value = 0
                var digits = 0
                while j < bytes.count, bytes[j] &- 0x30 < 10, digits < 4 {
                    value = value * 10 + Int(bytes[j] &- 0x30)
                    digits += 1
                    j += 1
                }
                if digits == 3 { return Int16(value) }
            }
            i += 1
        }
        return nil
    }
}
