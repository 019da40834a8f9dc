/// SplitMix64: a tiny, fast, seeded pseudo-random generator. The simulator's only source of randomness,
/// so its output depends on the seed alone (no system entropy, no clock).
struct SimRandom: Sendable {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in 0..<n for 0 < n < 2^32 (Lemire's multiply-shift, bias negligible here).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: n)) >> 32)
    }

    /// Uniform in lo...hi.
    @inline(__always)
    mutating func range(_ lo: Int, _ hi: Int) -> Int {
        lo + below(hi - lo + 1)
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// Exponentially distributed with the given mean.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double {
        -mean * SimMath.ln(1 - unit())
    }

    /// Approximately standard normal (Irwin-Hall with four uniforms, rescaled).
    @inline(__always)
    mutating func normalish() -> Double {
        (unit() + unit() + unit() + unit() - 2) * 1.732_050_807_568_877
    }

    /// Log-normal-ish: `median * e^(sigma * z)`.
    @inline(__always)
    mutating func logNormalish(median: Double, sigma: Double) -> Double {
        median * SimMath.exp(sigma * normalish())
    }
}

/// `ln` and `exp` with plain IEEE arithmetic, so results are identical on every platform (libm may differ
/// in the last bit between systems) and no math library is needed. Accurate to ~1e-6, ample for simulation.
enum SimMath {
    static let ln2 = 0.693_147_180_559_945_3

    /// Natural logarithm of a positive, finite `x`.
    static func ln(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
        // x = m * 2^e with m in [sqrt(1/2), sqrt(2)).
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.414_213_562_373_095 {
            m *= 0.5
            e += 1
        }
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        let series = t * (2 + t2 * (2.0 / 3 + t2 * (2.0 / 5 + t2 * (2.0 / 7 + t2 * (2.0 / 9)))))
        return e * ln2 + series
    }

    /// `e^y` for moderate `y` (|y| < 700).
    static func exp(_ y: Double) -> Double {
        let scaled = y / ln2
        let k = scaled.rounded(.down)
        let f = (scaled - k) * ln2 // in [0, ln 2)
        var term = 1.0
        var sum = 1.0
        for i in 1...9 {
            term *= f / Double(i)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}
