import Foundation
import Testing
@testable import SparseMTL

/// Reading long CSV: grouping by task, column choice, quoting, and one precise error per bad input.
@Suite struct LongCSVReaderTests {
    @Test func groupsRowsByTaskInOrderOfFirstAppearance() throws {
        let csv = "task,y,a,b\nbeta,1,2,3\nalpha,4,5,6\r\nbeta,7,8,9\n\n\"al,pha\",1,1,1\n\"al,pha\",2,2,2\nalpha,0,-1,1e2\n"
        let d = try dataset(csv)
        #expect(d.taskLabels == ["beta", "alpha", "al,pha"])
        #expect(d.featureNames == ["a", "b"])
        #expect(d.sampleCounts == [2, 2, 2])
        #expect(d.responses[0] == [1, 7])
        #expect(d.designs[0] == Matrix(rowArrays: [[2, 3], [8, 9]]))
        #expect(d.designs[1] == Matrix(rowArrays: [[5, 6], [-1, 100]]))
        #expect(d.responses[2] == [1, 2])
    }

    @Test func columnsMayBeRenamedAndReordered() throws {
        let csv = "x1,outcome,site,x2\n1,10,s1,2\n3,11,s1,4\n5,12,s2,6\n7,13,s2,8\n"
        let d = try dataset(csv, reader: LongCSVReader(taskColumn: "site", responseColumn: "outcome"))
        #expect(d.taskLabels == ["s1", "s2"])
        #expect(d.featureNames == ["x1", "x2"])
        #expect(d.responses[1] == [12, 13])
        #expect(d.designs[1] == Matrix(rowArrays: [[5, 6], [7, 8]]))
    }

    /// Each bad input: its message names the file, the line and (where there is one) the column.
    @Test(arguments: [
        ("", nil, nil, "empty"),
        ("task,y,x1\n", 1, nil, "no data rows"),
        ("task,y,x1\na,1,2\na,1,abc\n", 3, 3, "not a number"),
        ("task,y,x1\na,1,2\na,NaN,2\n", 3, 2, "NaN or infinite"),
        ("task,y,x1\na,1,2\na,1,inf\n", 3, 3, "NaN or infinite"),
        ("task,y,x1\na,1,2\na,1\n", 3, nil, "2 fields"),
        ("task,y,x1\na,1,2\na,1,2,3\n", 3, nil, "4 fields"),
        ("task,y,x1\na,1,2\na,1,2\nb,3,4\n", 4, nil, "task 'b' has 1 row"),
        ("task,y,x1\na,1,\na,1,2\n", 2, 3, "empty cell"),
        ("task,y\na,1\na,2\n", 1, nil, "no feature columns"),
        ("name,y,x1\na,1,2\na,1,2\n", 1, nil, "no task column 'task'"),
        ("task,y,y\na,1,2\n", 1, 3, "repeats column 2"),
        ("task,y,x1\n\"a,1,2\n", 2, nil, "never closed"),
        ("task,y,x1\na,1,2\n,1,2\n", 3, 1, "empty task label"),
    ] as [(String, Int?, Int?, String)])
    func badInputIsNamedPrecisely(csv: String, line: Int?, column: Int?, words: String) {
        do {
            _ = try dataset(csv, file: "bad.csv")
            Issue.record("accepted bad input: \(csv.debugDescription)")
        } catch let error as InputError {
            #expect(error.file == "bad.csv")
            #expect(error.line == line, "\(error) for \(csv.debugDescription)")
            #expect(error.column == column, "\(error) for \(csv.debugDescription)")
            #expect(error.message.contains(words), "\(error) should say '\(words)'")
            #expect(!error.description.contains("\n"), "one line")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: InputError(file: "/no/such.csv", "no such file", kind: .unreadable)) {
            try LongCSVReader().read("/no/such.csv")
        }
    }
}
