extension MetricsSnapshot {
    /// The weekly report of `week` from this snapshot's committed state, as of `now` (epoch ms): what
    /// `/reports/weekly` serves and the scheduled delivery sends.
    public func weeklyReport(week: ReportWeek, now: Int64) -> WeeklyReport {
        WeeklyReport.compute(slo: engine.slo, labels: engine.labels, overdue: engine.overdue, week: week, now: now,
                             activity: engine.hourly, polls: pollHistory)
    }
}
