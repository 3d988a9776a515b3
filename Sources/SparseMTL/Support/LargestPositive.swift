/// The indices i in 0..<count with score(i) > 0, at most `limit` of them, highest score first
/// (equal scores: lower index first). One pass that keeps only the best few, without sorting
/// everything: the cut-pool scans (`ExactRun.mostViolated`, `LazyRows.mostViolated`) run at every
/// node of a tree over thousands of cuts.
func largestPositive(count: Int, limit: Int, score: (Int) -> Double) -> [Int] {
    var best: [(index: Int, score: Double)] = []
    for i in 0..<count {
        let v = score(i)
        guard v > 0, best.count < limit || v > best[best.count - 1].score else { continue }
        best.insert((i, v), at: best.firstIndex { $0.score < v } ?? best.count)
        if best.count > limit { best.removeLast() }
    }
    return best.map(\.index)
}
