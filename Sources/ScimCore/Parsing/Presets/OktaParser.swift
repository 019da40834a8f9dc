/// Parses the Okta System Log (preset `okta`, events.md): one LogEvent JSON object per line.
///
/// Only provisioning-related `eventType`s become events; every other event type (sign-ins, policy
/// evaluations, ...) is valid input that yields no event and no error, because a System Log stream
/// carries far more than provisioning.
///
/// Choices the spec leaves open:
/// - Okta lines carry no tenant: an Okta org is one tenant, so the source must be bound
///   (``boundTenant``); an unbound source reports every provisioning line as `missingField`.
/// - `outcome.result`: `SUCCESS`/`ALLOW` -> success, `FAILURE`/`DENY` -> failure, `SKIPPED` -> skipped.
///   Anything else (`UNKNOWN`, `CHALLENGE`, ...) or a missing outcome gives no outcome: the attempt still
///   opens its operation but is not counted as a request, since it says neither success nor failure.
/// - No `correlation_id`: `transaction.id` differs between the trigger and the provisioning job and
///   between retries, so it would split one operation; the User id (`subject`) ties phases together.
/// - A trigger whose `outcome.result` is a failure yields no event: nothing was requested.
public struct OktaParser: Sendable {
    /// A tenant fixed by the configuration (interned); required, since Okta lines carry no tenant.
    public var boundTenant: LabelID?
    /// Apps a tenant-wide `user.lifecycle.deactivate` applies to. When empty, such a trigger is emitted
    /// once with target ``tenantWideTarget``.
    public var deactivationTargets: [String]

    /// The target of a `user.lifecycle.deactivate` that names no app and has no configured targets:
    /// "every app of the tenant". Whoever tracks operations must match it against any target of the same
    /// tenant and subject; a consumer that does not would see an operation that never resolves.
    public static let tenantWideTarget = "*"

    /// Creates a parser; `deactivationTargets` fans a tenant-wide deactivation out to those apps.
    public init(boundTenant: LabelID? = nil, deactivationTargets: [String] = []) {
        self.boundTenant = boundTenant
        self.deactivationTargets = deactivationTargets
    }

    /// What an `eventType` means, or `nil` for event types that are not provisioning events.
    enum Kind: Equatable {
        /// A provisioning push (one SCIM call or a batch of them) with the result in `outcome`.
        case attempt(OperationKind)
        /// An integration error that names no operation, with the HTTP status it stands for.
        case integrationFailure(Int16)
        /// A trigger that opens a deprovision.
        case userDeactivated, appUnassigned

        init?(eventType: String) {
            switch eventType {
            case "application.provision.user.push": self = .attempt(.create)
            case "application.provision.user.push_profile", "application.provision.user.sync": self = .attempt(.update)
            case "application.provision.user.deactivate", "application.provision.user.deprovision":
                self = .attempt(.disable)
            case "application.provision.user.reactivate": self = .attempt(.enable)
            case "application.provision.group_membership.add": self = .attempt(.groupAdd)
            case "application.provision.group_membership.remove": self = .attempt(.groupRemove)
            case "application.integration.rate_limit_exceeded": self = .integrationFailure(429)
            case "application.integration.authentication_failure": self = .integrationFailure(401)
            case "application.integration.general_failure": self = .integrationFailure(0)
            case "user.lifecycle.deactivate": self = .userDeactivated
            case "application.user_membership.remove": self = .appUnassigned
            default: return nil
            }
        }
    }

    /// Parses one line and appends zero or more events.
    public func parse(
        _ line: UnsafeRawBufferPointer, labels: inout Labels, into events: inout [Event]
    ) throws(ParseError) {
        let root = try JSONValue.parse(line)
        guard case .object = root else { throw ParseError(.wrongType, "event") }
        guard let eventType = try PresetValue.string(root["eventType"], "eventType") else {
            throw ParseError(.missingField, "eventType")
        }
        guard let kind = Kind(eventType: eventType) else { return }

        let outcome = try Self.outcome(root)
        if kind == .userDeactivated || kind == .appUnassigned, outcome == .failure { return }

        let time = try PresetValue.time(root["published"], "published", allowNumber: false)
        let tenant = try PresetValue.tenant(bound: boundTenant, nil, labels: &labels, "tenant")
        var event = Event(time: time, tenant: tenant, target: 0, operation: .unknown)
        if let uuid = try PresetValue.string(root["uuid"], "uuid"), !uuid.isEmpty { event.idHash = byteHash(uuid) }

        let targets = try Self.targets(root)
        let appName = try Self.appName(root, targets)
        switch kind {
        case .attempt(let operation):
            event.operation = operation
            event.outcome = outcome
            event.subject = try Self.userID(targets)
            event.target = try PresetValue.label(appName, in: &labels.targets, "target")
        case .integrationFailure(let status):
            // The integration error names no user and no operation: request SLIs only.
            event.status = status
            event.outcome = .failure
            event.target = try PresetValue.label(appName, in: &labels.targets, "target")
        case .appUnassigned, .userDeactivated:
            event.operation = .disable
            event.phase = .requested
            event.subject = try Self.userID(targets)
            if let appName {
                event.target = try PresetValue.label(appName, in: &labels.targets, "target")
            } else if kind == .appUnassigned {
                throw ParseError(.missingField, "target")
            } else if !deactivationTargets.isEmpty {
                for app in deactivationTargets where !app.isEmpty {
                    event.target = labels.targets.intern(app)
                    events.append(event)
                }
                return
            } else {
                event.target = labels.targets.intern(Self.tenantWideTarget)
            }
        }
        events.append(event)
    }

    // MARK: - Fields

    static func outcome(_ root: JSONValue) throws(ParseError) -> Outcome? {
        switch try PresetValue.string(root.value(atPath: "outcome.result"), "outcome.result") {
        case "SUCCESS", "ALLOW": .success
        case "FAILURE", "DENY": .failure
        case "SKIPPED": .skipped
        default: nil
        }
    }

    /// The `target[]` entries (an absent list is empty: integration errors may have none).
    static func targets(_ root: JSONValue) throws(ParseError) -> [JSONValue] {
        switch root["target"] {
        case nil, .null?: return []
        case .array(let items)?: return items
        default: throw ParseError(.wrongType, "target")
        }
    }

    /// The `id` of the first `target[]` entry of `type`.
    static func entry(_ targets: [JSONValue], type: String, _ key: String) throws(ParseError) -> String? {
        for item in targets where item["type"] == .string(type) {
            return try PresetValue.string(item[key], "target[].\(key)")
        }
        return nil
    }

    static func userID(_ targets: [JSONValue]) throws(ParseError) -> String? {
        guard let id = try entry(targets, type: "User", "id"), !id.isEmpty else { return nil }
        return id
    }

    /// The AppInstance's `displayName`, else `debugContext.debugData.appname` (its keys are not stable,
    /// so it is only a fallback).
    static func appName(_ root: JSONValue, _ targets: [JSONValue]) throws(ParseError) -> String? {
        if let name = try entry(targets, type: "AppInstance", "displayName"), !name.isEmpty { return name }
        let fallback = root.value(atPath: "debugContext.debugData.appname")?.stringValue
        return fallback?.isEmpty == false ? fallback : nil
    }
}
