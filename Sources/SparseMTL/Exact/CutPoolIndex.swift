/// The cut pool's numbers laid out flat for the scan at every callback of the tree
/// (`ExactRun.mostViolated`): for each cut its η column, constant and the coefficients it has
/// (a per-task cut's column k alone, p numbers; an aggregated cut all p·K).
///
/// Reading `Cut` values out of the pool array copied each one (reference counting of its matrix
/// and dual point): on a K = 1, p = 50, n = 50 problem at α = 0.01 (box 10) that was 18 % of the
/// solve's time, more than the scan's arithmetic. The index follows the pool as it grows (the pool
/// is only appended to) and is rebuilt if it ever shrank.
struct CutPoolIndex {
    /// η's index for each cut: its task, or 0 for the aggregated η.
    private var etaIndex: [Int] = []
    /// The z offset of each cut's first coefficient (k·p for a per-task cut, 0 for an aggregated one).
    private var zOffset: [Int] = []
    private var constants: [Double] = []
    /// Where each cut's coefficients start in `coefficients`, and how many.
    private var start: [Int] = []
    private var length: [Int] = []
    private var coefficients: [Double] = []

    var count: Int { constants.count }

    /// Brings the index up to date with `pool` (appends what is new).
    mutating func sync(with pool: [Cut]) {
        if pool.count < count { self = CutPoolIndex() }
        for cut in pool[count...] {
            let p = cut.coefficients.rows
            let range = cut.task.map { ($0 * p)..<(($0 + 1) * p) } ?? 0..<cut.coefficients.storage.count
            etaIndex.append(cut.task ?? 0)
            zOffset.append(range.lowerBound)
            constants.append(cut.constant)
            start.append(coefficients.count)
            length.append(range.count)
            coefficients.append(contentsOf: cut.coefficients.storage[range])
        }
    }

    /// The cuts violated at (z, η) by more than tolerance·max(1, |h|), at most `limit` of them, most
    /// violated first (`largestPositive`), with z stored column-major (p × K).
    func mostViolated(z: [Double], eta: [Double], tolerance: Double, limit: Int) -> [Int] {
        coefficients.withUnsafeBufferPointer { a in
            z.withUnsafeBufferPointer { zp in
                largestPositive(count: count, limit: limit) { i in
                    var h = constants[i]
                    let first = start[i], offset = zOffset[i] - first
                    for t in first..<(first + length[i]) { h -= a[t] * zp[t + offset] }
                    return h - eta[etaIndex[i]] - tolerance * max(1, abs(h))
                }
            }
        }
    }
}
