/// Parses a SCIM service provider's JSON access log (preset `scim-server`, events.md): one request per
/// line with `timestamp`, `method`, `path`, `status`, `durationMs`, `endpointId` or `tenant`, and
/// `operation` and `resourceId` when logged. Every request is an attempt; its outcome follows from
/// `status`.
///
/// Choices the spec leaves open:
/// - tenant = `tenant`, else `endpointId` (a SCIM endpoint is provisioned by one customer's IdP).
/// - target = `target`, else `endpointId`, else `missingField`: the server is the app, and a log that
///   serves several apps must say which.
/// - The resource is the first path segment named `Users`, `Groups`, `Bulk`, `Me` or a discovery
///   endpoint, so prefixes such as `/scim/v2/` and a query string are ignored. A path with none of
///   them (health checks, static files) and `OPTIONS` requests yield no event and no error.
/// - A logged `operation` (canonical name) overrides what the method implies; an unknown one is
///   `unknownValue`. Without it: `/Users` POST create, PUT/PATCH update, DELETE delete; `/Groups` PATCH
///   and PUT `group_update` (the log must say `group_add`/`group_remove`), POST and DELETE of a group
///   `group_update` too (the group itself changes, no user is provisioned); GET/HEAD and
///   `POST .../.search` read; `/Bulk` unknown (it mixes operations); anything else unknown.
/// - subject = `resourceId`, else the id in the path (`/Users/{id}`).
/// - Bulk: `bulkTotal`/`bulkFailed` numbers when logged; otherwise a `bulkOperations` (or RFC 7644
///   `Operations`) array of objects with `status` (number or string, as RFC 7644 writes it). An
///   operation failed when its status is not 2xx, except 404 on a `DELETE`. Absent: not a bulk event.
/// - `id` or `requestId` -> id (a re-read line is then counted once).
public struct SCIMServerParser: Sendable {
    /// A tenant fixed by the configuration (interned); any `tenant`/`endpointId` in a line is ignored.
    public var boundTenant: LabelID?

    /// Creates a parser.
    public init(boundTenant: LabelID? = nil) {
        self.boundTenant = boundTenant
    }

    /// Parses one line and appends its event (none for a request that is not a SCIM resource request).
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        let root = try JSONValue.parse(line)
        guard case .object = root else { throw ParseError(.wrongType, "request") }
        guard let method = try PresetValue.string(root["method"], "method")?.uppercased() else {
            throw ParseError(.missingField, "method")
        }
        guard let path = try PresetValue.string(root["path"], "path") else { throw ParseError(.missingField, "path") }
        guard method != "OPTIONS", let resource = Resource(path: path) else { return }

        var operation = try Self.operation(method: method, resource: resource)
        if let logged = try PresetValue.string(root["operation"], "operation") {
            guard let kind = OperationKind(name: logged) else { throw ParseError(.unknownValue, "operation") }
            operation = kind
        }

        let time = try PresetValue.time(root["timestamp"], "timestamp", allowNumber: true)
        guard let status = try PresetValue.status(root["status"], "status") else {
            throw ParseError(.missingField, "status")
        }
        let endpoint = try PresetValue.string(root["endpointId"], "endpointId")
        let tenant = try PresetValue.tenant(
            bound: boundTenant, try PresetValue.string(root["tenant"], "tenant") ?? endpoint, labels: &labels, "tenant")
        let targetName = try PresetValue.string(root["target"], "target") ?? endpoint
        let target = try PresetValue.label(targetName, in: &labels.targets, "target")

        var event = Event(time: time, tenant: tenant, target: target, operation: operation, status: status)
        event.durationMs = try PresetValue.duration(root["durationMs"], "durationMs")
        let subject = try PresetValue.string(root["resourceId"], "resourceId") ?? resource.id
        if let subject, !subject.isEmpty { event.subject = subject }
        if let id = try PresetValue.string(root["id"] ?? root["requestId"], "id"), !id.isEmpty {
            event.idHash = byteHash(id)
        }
        try Self.bulk(root, into: &event)
        events.append(event)
    }

    /// The SCIM resource a path addresses, and the id after it.
    struct Resource {
        enum Kind { case users, groups, bulk, me, discovery }
        var kind: Kind
        var id: String?

        init?(path: String) {
            let plain = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = plain.split(separator: "/")
            for (index, part) in parts.enumerated() {
                let kind: Kind
                switch part.lowercased() {
                case "users": kind = .users
                case "groups": kind = .groups
                case "bulk": kind = .bulk
                case "me": kind = .me
                case "serviceproviderconfig", "schemas", "resourcetypes": kind = .discovery
                default: continue
                }
                self.kind = kind
                id = index + 1 < parts.count ? String(parts[index + 1]) : nil
                return
            }
            return nil
        }
    }

    static func operation(method: String, resource: Resource) throws(ParseError) -> OperationKind {
        // `POST /Users/.search` is a query (RFC 7644 3.4.3), not a create.
        if method == "GET" || method == "HEAD" || (method == "POST" && resource.id == ".search") { return .read }
        guard ["POST", "PUT", "PATCH", "DELETE"].contains(method) else { throw ParseError(.unknownValue, "method") }
        switch resource.kind {
        case .users:
            switch method {
            case "POST": return .create
            case "DELETE": return .delete
            default: return .update
            }
        case .groups: return .groupUpdate
        case .bulk, .me, .discovery: return .unknown
        }
    }

    /// Fills `bulk_total` / `bulk_failed` from explicit counts or a per-operation status list.
    static func bulk(_ root: JSONValue, into event: inout Event) throws(ParseError) {
        if let total = try PresetValue.count(root["bulkTotal"], "bulkTotal") {
            let failed = try PresetValue.count(root["bulkFailed"], "bulkFailed") ?? 0
            guard failed <= total else { throw ParseError(.wrongType, "bulkFailed") }
            event.bulkTotal = total
            event.bulkFailed = failed
            return
        }
        if root["bulkFailed"].map({ $0 != .null }) == true { throw ParseError(.missingField, "bulkTotal") }
        guard let list = root["bulkOperations"] ?? root["Operations"], list != .null else { return }
        guard let operations = list.arrayValue else { throw ParseError(.wrongType, "bulkOperations") }
        var failed: Int32 = 0
        for operation in operations {
            guard case .object = operation else { throw ParseError(.wrongType, "bulkOperations[]") }
            guard let status = try PresetValue.status(operation["status"], "bulkOperations[].status") else {
                throw ParseError(.missingField, "bulkOperations[].status")
            }
            let isDelete = operation["method"]?.stringValue?.uppercased() == "DELETE"
            if !(200..<300).contains(status), !(status == 404 && isDelete) { failed += 1 }
        }
        guard operations.count < Int(Int32.max) else { throw ParseError(.wrongType, "bulkOperations") }
        event.bulkTotal = Int32(operations.count)
        event.bulkFailed = failed
    }
}
