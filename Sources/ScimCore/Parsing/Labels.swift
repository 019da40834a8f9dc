/// The label tables every parser interns into: tenants and targets, each with its own cap.
public struct Labels: Sendable {
    public var tenants: LabelTable
    public var targets: LabelTable

    public init(tenantCap: Int = 50, targetCap: Int = 100) {
        tenants = LabelTable(cap: tenantCap)
        targets = LabelTable(cap: targetCap)
    }

    public init(tenants: LabelTable, targets: LabelTable) {
        self.tenants = tenants
        self.targets = targets
    }
}
