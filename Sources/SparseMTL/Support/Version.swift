/// The version of SparseMTL, written into every result (a model file says which build fitted it).
public enum SparseMTLVersion {
    /// Semantic version of the package.
    public static let string = "0.1.0"
}
