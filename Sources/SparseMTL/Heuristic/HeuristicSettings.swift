/// Settings of the heuristic (DESIGN.md section 4), with their defaults in one place.
public struct HeuristicSettings: Sendable {
    /// How many screened moves per step are evaluated exactly (refit of the coefficients on the
    /// new supports, jointly across tasks when λ > 0); `Int.max` evaluates every move.
    public var exactCandidates = 50
    /// With λ > 0: how many single-task moves, ranked by their bound with the other tasks held
    /// fixed, are refitted jointly across tasks when no bound proves an improvement (the joint
    /// refit is the expensive part). 0 takes proven moves only: on 32 synthetic solves (K 3–6,
    /// p 40–200, λ 0.05–1, s = 8) F came out worse than with 5 in 2 (by at most 0.03 %) and better
    /// in 1 (0.8 %); cross-validation's training fits use 0.
    public var jointCandidates = 5
    /// How many of a task's best single swaps are paired into double swaps.
    public var pairCandidates = 30
    /// With K > 1, also start from the row-greedy (common-support) solution and keep the better one.
    public var commonSupportStart = true
    /// Stop after this many local-search cycles over the tasks.
    public var maxCycles = 10_000
    /// Stop after this many seconds (nil: no limit); the best point so far is returned.
    public var timeLimitSeconds: Double? = nil
    /// A move is taken only when it lowers F by more than this, relative to max(1, |F|).
    public var relativeTolerance = 1e-12
    /// Memory for cached Gram columns X̃_kᵀx_jk, in bytes over all tasks.
    public var gramBudgetBytes = 1 << 30

    public init() {}

    /// Gram columns each task may keep for p features and K tasks: at least enough for a support
    /// and the candidates of one step.
    public func gramColumnsPerTask(features p: Int, tasks kCount: Int, sparsity s: Int) -> Int {
        let affordable = gramBudgetBytes / max(8 * p * max(kCount, 1), 1)
        return min(p, max(affordable, 2 * s + 4))
    }
}
