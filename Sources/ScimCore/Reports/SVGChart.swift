import Foundation

/// A small bar chart as inline SVG: a title, a y axis with its range, day labels on the x axis, and an
/// optional dashed reference line (the objective). Drawn without script so it prints and needs nothing.
struct SVGChart {
    var title: String
    var labels: [String]
    /// nil bars are drawn as "no data" marks, not as zero.
    var values: [Double?]
    var yMin: Double
    var yMax: Double
    var reference: (value: Double, label: String)?
    var format: (Double) -> String
    /// Days drawn with a shaded band behind their bar (maintenance), with a legend under the axis.
    var marked: [Bool] = []

    static let width = 520.0, height = 200.0
    static let left = 64.0, right = 12.0, top = 28.0, bottom = 34.0

    func svg() -> String {
        let w = Self.width, h = Self.height
        let plotW = w - Self.left - Self.right, plotH = h - Self.top - Self.bottom
        let span = yMax - yMin == 0 ? 1 : yMax - yMin
        func y(_ v: Double) -> Double { Self.top + plotH * (1 - (min(max(v, yMin), yMax) - yMin) / span) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\">"
        s += "<title>\(HTML.escape(title))</title>"
        s += "<text x=\"\(Int(Self.left))\" y=\"16\" class=\"ct\">\(HTML.escape(title))</text>"
        // Axes and the range of the y axis.
        s += line(Self.left, Self.top, Self.left, Self.top + plotH) + line(Self.left, Self.top + plotH, w - Self.right, Self.top + plotH)
        // A chart crossing zero (an overspent budget) shows where zero is.
        for v in yMin < 0 && yMax > 0 ? [yMin, 0, yMax] : [yMin, (yMin + yMax) / 2, yMax] {
            s += "<text x=\"\(f(Self.left - 4))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\" class=\"ax\">\(HTML.escape(format(v)))</text>"
            s += "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(v)))\" x2=\"\(f(w - Self.right))\" y2=\"\(f(y(v)))\" class=\"grid\"/>"
        }
        let slot = plotW / Double(max(values.count, 1))
        for (i, isMarked) in marked.enumerated() where isMarked && i < labels.count {
            s += "<rect x=\"\(f(Self.left + slot * Double(i)))\" y=\"\(f(Self.top))\" width=\"\(f(slot))\" height=\"\(f(plotH))\" class=\"maint\"><title>\(HTML.escape(labels[i])): maintenance</title></rect>"
        }
        if marked.contains(true) {
            s += "<text x=\"\(f(Self.left))\" y=\"\(f(h - 2))\" class=\"ax\">shaded: maintenance window</text>"
        }
        for (i, v) in values.enumerated() {
            let x = Self.left + slot * Double(i)
            if let v {
                let top = y(v), base = y(max(yMin, min(0, yMax)))
                s += "<rect x=\"\(f(x + slot * 0.15))\" y=\"\(f(min(top, base)))\" width=\"\(f(slot * 0.7))\" height=\"\(f(max(1, abs(base - top))))\" class=\"\(v < (reference?.value ?? 0) ? "bar low" : "bar")\"><title>\(HTML.escape(labels[i])): \(HTML.escape(format(v)))</title></rect>"
            } else {
                s += "<text x=\"\(f(x + slot / 2))\" y=\"\(f(Self.top + plotH - 6))\" text-anchor=\"middle\" class=\"ax\">no data</text>"
            }
            s += "<text x=\"\(f(x + slot / 2))\" y=\"\(f(h - 14))\" text-anchor=\"middle\" class=\"ax\">\(HTML.escape(labels[i]))</text>"
        }
        if let r = reference {
            s += "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(r.value)))\" x2=\"\(f(w - Self.right))\" y2=\"\(f(y(r.value)))\" class=\"ref\"/>"
            // Above the plot, where no bar can hide it.
            s += "<text x=\"\(f(w - Self.right))\" y=\"16\" text-anchor=\"end\" class=\"ax ref-label\">- - \(HTML.escape(r.label))</text>"
        }
        return s + "</svg>"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" class=\"axis\"/>"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// Escaping for text and attribute values.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
