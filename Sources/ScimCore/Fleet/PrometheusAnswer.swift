import Foundation

/// An answer of Prometheus's HTTP API (`/api/v1/query_range` or `/api/v1/query`): the series it returned
/// with their samples. A matrix keeps every point; a vector (or a scalar) becomes series of one sample.
public struct PrometheusAnswer: Sendable, Equatable {
    /// One series: its labels (with `__name__` when Prometheus kept it) and its samples, oldest first.
    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        public var samples: [Sample]

        public init(labels: [String: String], samples: [Sample]) {
            self.labels = labels
            self.samples = samples
        }
    }

    /// A value at a time (epoch ms; Prometheus gives seconds with a fraction).
    public struct Sample: Sendable, Equatable {
        public var timeMs: Int64
        public var value: Double

        public init(timeMs: Int64, value: Double) {
            self.timeMs = timeMs
            self.value = value
        }
    }

    /// `matrix`, `vector` or `scalar`.
    public var resultType: String
    public var series: [Series]

    public init(resultType: String, series: [Series]) {
        self.resultType = resultType
        self.series = series
    }

    /// Reads the JSON body. Throws when it is not JSON of the API's shape, or when Prometheus answered
    /// `"status": "error"` (the error says Prometheus's own `errorType` and `error`).
    public init(decoding body: [UInt8]) throws(PrometheusAnswerError) {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(body))
        } catch {
            let start = String(decoding: body.prefix(120), as: UTF8.self)
            throw PrometheusAnswerError("the answer is not Prometheus API JSON (\(Self.describe(error))); it starts with \"\(start)\"")
        }
        guard envelope.status == "success" else {
            throw PrometheusAnswerError("Prometheus answered status \"\(envelope.status)\": \(envelope.errorType ?? "error"): \(envelope.error ?? "no message")")
        }
        guard let data = envelope.data else { throw PrometheusAnswerError("the answer has status success but no data") }
        resultType = data.resultType
        switch data.result {
        case .series(let list):
            series = list.map { Series(labels: $0.metric ?? [:], samples: ($0.values ?? []) + ($0.value.map { [$0] } ?? [])) }
        case .scalar(let sample):
            series = [Series(labels: [:], samples: [sample])]
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            c.codingPath.isEmpty ? c.debugDescription : "at \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: "\(error)"
        }
    }

    // MARK: - The wire shape

    private struct Envelope: Decodable {
        var status: String
        var data: ResultData?
        var errorType: String?
        var error: String?
    }

    private struct ResultData: Decodable {
        var resultType: String
        var result: Result

        enum CodingKeys: String, CodingKey { case resultType, result }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try c.decode(String.self, forKey: .resultType)
            switch resultType {
            case "matrix", "vector": result = .series(try c.decode([WireSeries].self, forKey: .result))
            case "scalar": result = .scalar(try c.decode(Sample.self, forKey: .result))
            default:
                throw DecodingError.dataCorruptedError(forKey: .resultType, in: c, debugDescription: "result type \(resultType) is not matrix, vector or scalar")
            }
        }
    }

    private enum Result {
        case series([WireSeries])
        case scalar(Sample)
    }

    private struct WireSeries: Decodable {
        var metric: [String: String]?
        var values: [Sample]?
        var value: Sample?
    }
}

/// `[1732000000.123, "42"]`: seconds as a number, the value as text (so that NaN and Inf survive JSON).
extension PrometheusAnswer.Sample: Decodable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let seconds = try c.decode(Double.self)
        // Epoch ms must fit with room to spare (year 5138): a wild time must not trap the conversion.
        guard seconds.isFinite, abs(seconds) < 1e11 else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(seconds) is not a time in epoch seconds")
        }
        let text = try c.decode(String.self)
        guard let value = Double(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(text)\" is not a number")
        }
        timeMs = Int64((seconds * 1000).rounded())
        self.value = value
    }
}

/// A Prometheus answer that cannot be used, and why.
public struct PrometheusAnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
