/// What the engine needs to know about its limits.
public struct IngestConfiguration: Sendable, Equatable {
    /// Distinct tenant values kept before folding into `__other__`.
    public var tenantCap: Int
    /// Distinct target values kept before folding into `__other__`.
    public var targetCap: Int
    /// How long a repeated event id is recognised, in milliseconds of event time.
    public var duplicateWindowMs: Int64
    /// How many recent ids are held at most.
    public var duplicateCapacity: Int
    /// Lines longer than this many bytes are skipped (`too_long`).
    public var maxLineBytes: Int
    /// A JSON document spread over many lines (Entra's portal download) may be at most this large.
    public var maxDocumentBytes: Int = 256 << 20
    /// Events older than this, relative to the latest event time, are late (milliseconds).
    public var retentionMs: Int64
    /// The operation model: timeout, terminal statuses, overdue threshold, latency window.
    public var operations: OperationConfiguration
    /// The SLOs counted and evaluated (default: the three built in).
    public var slos: [SLODefinition] = SLODefinition.defaults
    /// Planned maintenance: alerts held, events optionally left out of budgets.
    public var maintenance: [MaintenanceWindow] = []
    /// Thresholds of the symptom alerts.
    public var symptoms = SymptomThresholds()

    public init(
        tenantCap: Int = 50, targetCap: Int = 100, duplicateWindowMs: Int64 = 86_400_000,
        duplicateCapacity: Int = 1_000_000, maxLineBytes: Int = 65_536, retentionMs: Int64 = 37 * 86_400_000,
        operations: OperationConfiguration = OperationConfiguration()
    ) {
        self.operations = operations
        self.tenantCap = tenantCap
        self.targetCap = targetCap
        self.duplicateWindowMs = duplicateWindowMs
        self.duplicateCapacity = duplicateCapacity
        self.maxLineBytes = maxLineBytes
        self.retentionMs = retentionMs
    }
}
