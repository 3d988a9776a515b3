/// Free-format MPS text of a `QuadraticModel`, with the extensions SCIP, Gurobi, CPLEX and HiGHS
/// read for quadratic models:
/// - QUADOBJ: the objective's quadratic part as ½ xᵀQx, upper triangle only, so a monomial
///   q·x_i² is written as Q_ii = 2q and q·x_i x_j (i < j) as Q_ij = q;
/// - QCMATRIX (one section per quadratic row): the row's quadratic part as xᵀQx with the full
///   symmetric Q (no ½), so q·x_i x_j (i < j) is written twice as q/2;
/// - the objective constant c₀ as the right-hand side −c₀ of the objective row;
/// - integer columns between MARKER lines and binary ones with BV bounds.
/// Free MPS has no objective sense: every model here is a minimisation (the readers' default).
/// Numbers are written in the shortest form that reads back to the same double.
public enum MPSWriter {
    /// The MPS text of `model`.
    public static func text(_ model: QuadraticModel) -> String {
        var out = ""
        out.reserveCapacity(64 * (model.columns.count + model.rows.reduce(0) { $0 + $1.linear.count }))
        func line(_ fields: String...) { out += "    " + fields.joined(separator: " ") + "\n" }

        out += "NAME \(model.name)\nROWS\n N obj\n"
        for row in model.rows {
            let code = switch row.sense { case .lessOrEqual: "L"; case .greaterOrEqual: "G"; case .equal: "E" }
            out += " \(code) \(row.name)\n"
        }

        // COLUMNS: the rows' linear parts, column by column; integer runs between markers.
        var entries = [[(row: Int, coefficient: Double)]](repeating: [], count: model.columns.count)
        for (r, row) in model.rows.enumerated() {
            for (j, a) in row.linear where a != 0 { entries[j].append((r, a)) }
        }
        out += "COLUMNS\n"
        var inIntegerRun = false, markers = 0
        for (j, column) in model.columns.enumerated() {
            if column.integer != inIntegerRun {
                markers += 1
                line("MARKER\(markers)", "'MARKER'", column.integer ? "'INTORG'" : "'INTEND'")
                inIntegerRun = column.integer
            }
            // Every column is listed at least once (with its cost), so readers know it.
            line(column.name, "obj", number(column.cost))
            for (r, a) in entries[j] { line(column.name, model.rows[r].name, number(a)) }
        }
        if inIntegerRun { line("MARKER\(markers + 1)", "'MARKER'", "'INTEND'") }

        out += "RHS\n"
        if model.objectiveConstant != 0 { line("RHS", "obj", number(-model.objectiveConstant)) }
        for row in model.rows where row.rhs != 0 { line("RHS", row.name, number(row.rhs)) }

        out += "BOUNDS\n"
        for column in model.columns {
            let (lower, upper) = (column.lower, column.upper)
            if column.integer && lower == 0 && upper == 1 {
                out += " BV BND \(column.name)\n"
            } else if lower == -.infinity && upper == .infinity {
                out += " FR BND \(column.name)\n"
            } else {
                if lower == -.infinity { out += " MI BND \(column.name)\n" } else if lower != 0 { out += " LO BND \(column.name) \(number(lower))\n" }
                if upper != .infinity { out += " UP BND \(column.name) \(number(upper))\n" }
                // Some readers give integer columns an upper bound of 1 by default: say "none".
                else if column.integer { out += " PL BND \(column.name)\n" }
            }
        }

        let objective = model.objectiveQuadratic
        if !objective.isEmpty {
            out += "QUADOBJ\n"
            for m in objective {
                line(model.columns[m.i].name, model.columns[m.j].name, number(m.i == m.j ? 2 * m.coefficient : m.coefficient))
            }
        }
        for row in model.rows where !row.quadratic.isEmpty {
            out += "QCMATRIX \(row.name)\n"
            for m in row.quadratic {
                let (a, b) = (model.columns[m.i].name, model.columns[m.j].name)
                if m.i == m.j {
                    line(a, b, number(m.coefficient))
                } else {
                    line(a, b, number(m.coefficient / 2))
                    line(b, a, number(m.coefficient / 2))
                }
            }
        }
        out += "ENDATA\n"
        return out
    }

    /// The shortest decimal that reads back to `x` (Swift's round-trip description).
    static func number(_ x: Double) -> String { x == 0 ? "0" : "\(x)" }
}
