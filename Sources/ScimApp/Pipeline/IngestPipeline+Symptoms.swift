import ScimCore

extension IngestPipeline {
    /// What the symptom alerts need from the adapters: failing poll endpoints, queues with a backlog
    /// and no progress, reconcilers and their last success, and sources that stopped growing.
    func symptomInputs(now: Int64) -> SymptomInputs {
        var inputs = SymptomInputs()
        for (name, endpoint) in polls.endpoints.sorted(by: { $0.key < $1.key }) where endpoint.registered {
            if !endpoint.up {
                inputs.pollsDown.append((name, endpoint.readAt ?? startedAt))
                continue
            }
            for queue in endpoint.lastReading?.queues ?? [] where queue.depth > 0 {
                if let progress = endpoint.progress[queue.name] {
                    inputs.queuesWithoutProgress.append((queue.name, progress.changedAt))
                }
            }
        }
        for (target, runs) in polls.targets.sorted(by: { $0.key < $1.key }) {
            inputs.reconcilers.append((target, runs.lastSuccess, startedAt))
        }
        for tailer in tailers where tailer.openFileCount > 0 {
            inputs.sourcesStalled.append((tailer.configuration.source, sourceGrewAt[tailer.sourceIndex] ?? startedAt))
        }
        return inputs
    }

    /// Notes which sources grew since the last look (for the stalled-source symptom).
    func noteSourceGrowth(now: Int64) {
        for (i, stats) in engine.sources.enumerated() where stats.bytes != sourceBytesSeen[i] {
            sourceBytesSeen[i] = stats.bytes
            sourceGrewAt[i] = now
        }
    }
}
