/// The best solution known: supports Z, the coefficients B (optimal for Z), and
/// F(B, Z) = g(Z) + δ·Zbar(Z); `source` says where it came from (H heuristic, R rounding,
/// I an integer node of the tree).
struct Incumbent {
    var supports: [[Int]]
    var coefficients: Matrix
    /// g_k(Z) per task when λ = 0, else one entry g(Z).
    var fitValues: [Double]
    var value: Double
    var source: Character
}
