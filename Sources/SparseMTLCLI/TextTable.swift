/// Plain-text tables for the terminal: the first column left-aligned, the others right-aligned,
/// one space between columns (a cell wider than its column pushes the rest right).
enum TextTable {
    /// One line of the table, ending in a newline.
    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, cellWidth in
            let (cell, width) = cellWidth
            let pad = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + pad : pad + cell
        }.joined(separator: " ") + "\n"
    }
}
