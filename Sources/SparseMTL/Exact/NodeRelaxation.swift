/// One task's perspective relaxation at a node of the tree (λ = 0), solved approximately by
/// Frank–Wolfe so that a single cut lifts the node's LP bound close to the node's full perspective
/// bound (DESIGN.md section 3, "node strengthening"), instead of many LP rounds of Kelley cuts.
///
/// For task k at a node with bounds l ≤ z ≤ u on z_·k (GLPK's branching fixings) and a linear cost
/// c_j standing for the Zbar term (`zbarCost`), the relaxation is
///
///     G* = min { g_k(z) + cᵀz :  l ≤ z ≤ u,  Σ_j z_j ≤ s },
///     g_k(z) = min_β (1/n)‖ỹ − X̃β‖² + α Σ_j β_j²/z_j,
///
/// convex with ∂g_k/∂z_j = −(x̃_jᵀu)²/(4α) at the dual point u = 2r/n of the ridge at z. Frank–Wolfe
/// moves z toward the polytope's vertex that minimises the linearisation (l, plus the most negative
/// free c_j − φ_j up to the cardinality), with a secant line search on the directional derivative.
/// Every ridge solve gives a dual point, hence a valid cut (weak duality, `CutBuilder`): the point
/// returned is the one whose cut has the highest minimum over the node's polytope,
///
///     D(u) = uᵀỹ − (n/4)‖u‖² + min_{l ≤ z ≤ u, Σz ≤ s} Σ_j (c_j − φ(x̃_jᵀu)) z_j  ≤  G*,
///
/// so nothing here needs to converge for the certificate to stay right.
///
/// Where the node has fixed z_j = 0 outside a set F small enough that λ_min(G_FF) > 0 (fewer free
/// features than rows), the relaxation is the shifted one with d_F (`PerspectiveShift.restricted`)
/// and the cut is a restricted shifted cut (`DualPoint.Restriction`): on n ≤ p, where the task has
/// no shift of its own, this is what a node's fixings add to its bound.
struct NodeRelaxation {
    let instance: Instance
    let builder: CutBuilder
    let kernel: PerspectiveRelaxation
    /// Frank–Wolfe iterations (each solves two reweighted ridges).
    var iterations: Int

    /// The zero linear term of the task blocks (λ = 0).
    private let noLinearTerm: [Double]
    /// Whether nodes' fixings may give restricted shifts (`ExactSettings.restrictedShift`).
    var restrictedShifts = true
    /// d_F by task and F, computed once per set (nodes revisit their sets across cut rounds).
    private let shifts = ShiftCache()

    private final class ShiftCache: @unchecked Sendable {
        var entries: [Int: [[Int]: Double]] = [:]
    }

    init(_ instance: Instance, iterations: Int) {
        self.instance = instance
        noLinearTerm = [Double](repeating: 0, count: instance.featureCount)
        builder = CutBuilder(instance)
        kernel = PerspectiveRelaxation(instance)
        self.iterations = iterations
    }

    /// The node's Zbar term for task k, linearised at the other tasks' z: c_j = δ Σ_{l≠k} w_kl (1 − 2z_jl),
    /// exact at binary Z (it is the change of δ·Zbar when z_jk goes from 0 to 1).
    func zbarCost(task k: Int, z: Matrix) -> [Double] {
        let delta = instance.penalty.zbar
        var cost = [Double](repeating: 0, count: instance.featureCount)
        guard delta > 0 else { return cost }
        let weights = instance.graph.weightMatrix
        for l in 0..<instance.taskCount where l != k && weights[k, l] > 0 {
            for j in cost.indices { cost[j] += delta * weights[k, l] * (1 - 2 * z[j, l]) }
        }
        return cost
    }

    /// Each task's best dual point (`dualPoint`) at a node of the master: z (p × K) the node's LP
    /// point, `lower` and `upper` its bounds on the p·K z columns, the Zbar term linearised at z
    /// (`zbarCost`) plus `linearCosts` (p × K) where given.
    func dualPoints(at z: Matrix, lower: [Double], upper: [Double], linearCosts: Matrix? = nil) -> [DualPoint] {
        let p = instance.featureCount
        return (0..<instance.taskCount).map { k in
            let columns = (k * p)..<((k + 1) * p)
            var cost = zbarCost(task: k, z: z)
            if let c = linearCosts { for j in 0..<p { cost[j] += c[j, k] } }
            return dualPoint(task: k, start: z.column(k), lower: Array(lower[columns]), upper: Array(upper[columns]), cost: cost).dual
        }
    }

    /// The best dual point found for task k from the start point z (inside the node's bounds) and
    /// D(u) for it.
    func dualPoint(task k: Int, start: [Double], lower: [Double], upper: [Double], cost: [Double]) -> (dual: DualPoint, bound: Double) {
        let s = instance.penalty.sparsity
        var z = zip(start, zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
        let restriction = self.restriction(task: k, upper: upper)
        let evaluate = { (z: [Double]) in self.evaluate(k, z, restriction: restriction) }
        var current = evaluate(z)
        var best = (point: current, bound: bound(current, lower: lower, upper: upper, cost: cost, sparsity: s).value)
        for _ in 0..<iterations {
            let vertex = bound(current, lower: lower, upper: upper, cost: cost, sparsity: s).vertex
            let direction = zip(vertex, z).map { $0 - $1 }
            let slope0 = derivative(current, direction, cost)
            if slope0 >= -1e-12 * max(1, abs(best.bound)) { break }  // z is optimal for the node
            let end = evaluate(vertex)
            let endBound = bound(end, lower: lower, upper: upper, cost: cost, sparsity: s).value
            if endBound > best.bound { best = (end, endBound) }
            let slope1 = derivative(end, direction, cost)
            let step = slope1 <= 0 ? 1 : slope0 / (slope0 - slope1)
            if step >= 1 {
                z = vertex
                current = end
            } else {
                for j in z.indices { z[j] += step * direction[j] }
                current = evaluate(z)
                let value = bound(current, lower: lower, upper: upper, cost: cost, sparsity: s).value
                if value > best.bound { best = (current, value) }
            }
        }
        return (dual(k, best.point, restriction), best.bound)
    }

    /// The node's restricted shift for task k: F = {j : upper_j > 0}, when the node fixes some
    /// z_j = 0 and d_F exceeds the task's own shift by a tenth; else nil.
    private func restriction(task k: Int, upper: [Double]) -> DualPoint.Restriction? {
        guard restrictedShifts && instance.penalty.bbar == 0 else { return nil }
        let features = upper.indices.filter { upper[$0] > 0 }
        guard features.count < upper.count, features.count + 1 < instance.designs[k].rows else { return nil }
        let d: Double
        if let cached = shifts.entries[k]?[features] { d = cached } else {
            d = PerspectiveShift.restricted(instance.designs[k], gram: kernel.gram(k)?.gram, features: features)
            shifts.entries[k, default: [:]][features] = d
        }
        guard d > 1.1 * builder.shift(k) else { return nil }
        return DualPoint.Restriction(features: features, shift: d)
    }

    /// The ridge at z: its coefficients β (the dual point u = 2(ỹ − X̃β)/n, or the anchor β of a
    /// shifted cut) and its cut's constant and φ_j = φ(x̃_jᵀu), the negated gradient of g_k.
    private struct Point {
        var beta: [Double]
        var constant: Double
        var phi: [Double]
    }

    /// The dual point of `point`, as a certificate stores it.
    private func dual(_ k: Int, _ point: Point, _ restriction: DualPoint.Restriction?) -> DualPoint {
        let anchored = builder.shift(k) > 0 || restriction != nil
        return DualPoint(tasks: [k], u: anchored ? [] : [builder.tightU(task: k, beta: point.beta)], bHat: nil,
                         anchor: anchored ? [point.beta] : nil, restriction: restriction)
    }

    /// With a perspective shift d (`PerspectiveShift`) the ridge is the shifted relaxation's, the
    /// point is anchored at its β, and φ_j = φ_{α+d}(x̃_jᵀu + 2dβ_j) (`DualPoint`'s shifted cut).
    /// With more rows than features the cut's terms come from the Gram matrix G and b = X̃ᵀỹ/n:
    /// uᵀỹ − (n/4)‖u‖² = ‖ỹ‖²/n − βᵀGβ and x̃_jᵀu = 2(b − Gβ)_j, in p² instead of n·p.
    /// With a restriction, d = d_F (z_j = 0 outside F at this node, so φ_j there never enters the
    /// bound; the cut's lifted coefficients are `CutBuilder`'s).
    private func evaluate(_ k: Int, _ z: [Double], restriction: DualPoint.Restriction?) -> Point {
        let d = restriction?.shift ?? builder.shift(k)
        let beta = kernel.taskBlock(k, z: z, diagonalExtra: 0, linear: noLinearTerm, shift: d)
        let y = instance.responses[k], n = Double(instance.designs[k].rows)
        let constant: Double, v: [Double]
        if let (g, b) = kernel.gram(k) {
            let gb = BLAS.multiply(g, beta)
            constant = Vector.dot(y, y) / n - Vector.dot(beta, gb)
            v = beta.indices.map { 2 * (b[$0] - gb[$0]) }
        } else {
            let u = builder.tightU(task: k, beta: beta)
            constant = Vector.dot(u, y) - n / 4 * Vector.dot(u, u)
            v = BLAS.multiply(instance.designs[k], u, .transpose)
        }
        return Point(beta: beta, constant: constant + d * Vector.dot(beta, beta),
                     phi: v.indices.map { builder.phi(v[$0] + 2 * d * beta[$0], shift: d) })
    }

    /// Directional derivative of g_k + cᵀz along d, at the point where `point` is the ridge's dual.
    private func derivative(_ point: Point, _ d: [Double], _ cost: [Double]) -> Double {
        var total = 0.0
        for j in d.indices where d[j] != 0 { total += (cost[j] - point.phi[j]) * d[j] }
        return total
    }

    /// D(u) and the vertex of the node's polytope that attains the minimum of the linearisation.
    private func bound(_ point: Point, lower: [Double], upper: [Double], cost: [Double], sparsity: Int) -> (value: Double, vertex: [Double]) {
        var vertex = lower
        var value = point.constant
        var room = sparsity
        var free: [(Int, Double)] = []
        for j in vertex.indices {
            let slope = cost[j] - point.phi[j]
            if lower[j] > 0 { value += slope * lower[j]; room -= 1 }
            else if upper[j] > 0 && slope < 0 { free.append((j, slope)) }
        }
        if room > 0 && !free.isEmpty {
            free.sort { $0.1 < $1.1 }
            for (j, slope) in free.prefix(room) { vertex[j] = upper[j]; value += slope * upper[j] }
        }
        return (value, vertex)
    }
}
