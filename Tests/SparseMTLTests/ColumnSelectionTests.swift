import Foundation
import Testing
@testable import SparseMTL

/// Data the way it arrives: a shared design with one response column per task (`--responses`),
/// chosen and dropped columns (`--features`, `--drop`), and identifier-like columns warned about.
@Suite struct ColumnSelectionTests {
    static let wide = "id,a,b,c,yield,height\n1,0.5,2,3,10,-1\n2,1.5,0,1,11,-2\n3,2.5,1,0,9,-3\n"

    @Test func sharedDesignIsTheLongFormWithTheRowsRepeatedPerTask() throws {
        var shared = LongCSVReader()
        shared.responseColumns = ["height", "yield"]
        shared.droppedColumns = ["id"]
        let d = try dataset(Self.wide, reader: shared)
        // The same data written by hand in long form.
        let long = try dataset("""
            task,y,a,b,c
            height,-1,0.5,2,3
            height,-2,1.5,0,1
            height,-3,2.5,1,0
            yield,10,0.5,2,3
            yield,11,1.5,0,1
            yield,9,2.5,1,0
            """)
        #expect(d.taskLabels == long.taskLabels && d.featureNames == long.featureNames)
        #expect(d.designs == long.designs && d.responses == long.responses)
    }

    @Test func sharedDesignIsCentredOnceAndStaysOneCopy() throws {
        var shared = LongCSVReader()
        shared.responseColumns = ["height", "yield"]
        shared.droppedColumns = ["id"]
        let d = try dataset(Self.wide, reader: shared)
        // The same values in separate storage per task (rebuilt from arrays).
        var copied = d
        copied.designs = d.designs.map { Matrix(rows: $0.rows, columns: $0.columns, columnMajor: $0.storage.map { $0 + 0 }) }
        for standardize in [false, true] {
            let (pre, designs, responses) = Preprocessing.fit(d, standardize: standardize)
            let (preCopied, designsCopied, responsesCopied) = Preprocessing.fit(copied, standardize: standardize)
            #expect(pre == preCopied && designs == designsCopied && responses == responsesCopied)
            #expect(Preprocessing.sameStorage(designs[0], designs[1]))
            #expect(!Preprocessing.sameStorage(designsCopied[0], designsCopied[1]))
        }
    }

    @Test func featuresChooseAndDropRemoves() throws {
        var reader = LongCSVReader()
        reader.responseColumns = ["yield"]
        reader.featureColumns = ["c", "a"]
        let chosen = try dataset(Self.wide, reader: reader)
        #expect(chosen.featureNames == ["a", "c"])  // in the file's order
        #expect(chosen.designs[0] == Matrix(rowArrays: [[0.5, 3], [1.5, 1], [2.5, 0]]))
        reader.featureColumns = nil
        reader.droppedColumns = ["id", "height", "b"]
        let dropped = try dataset(Self.wide, reader: reader)
        #expect(dropped.featureNames == ["a", "c"] && dropped.designs == chosen.designs)
    }

    @Test(arguments: [
        (["--responses", "yield,nope"], "no response column 'nope'"),
        (["--responses", "yield", "--features", "a,zz"], "--features: no column 'zz'"),
        (["--responses", "yield", "--drop", "zz"], "--drop: no column 'zz'"),
        (["--responses", "yield", "--features", "yield"], "--features: 'yield' is the task or a response column"),
        (["--responses", "yield,"], "--responses: an empty column name"),
    ])
    func badSelectionsNameTheirFlag(_ flags: [String], _ message: String) throws {
        let f = TemporaryFolder()
        f.write("w.csv", Self.wide)
        let outcome = try CommandRunner.run(["solve", "--data", "w.csv", "--sparsity", "1"] + flags, in: f.url)
        #expect(outcome.status == 65 || outcome.status == 64, "\(outcome.status)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    @Test func identifierColumnsAreWarnedAbout() throws {
        let f = TemporaryFolder()
        var text = "task,y,row_id,serial,x\n"
        for i in 0..<24 { text += "\(i < 12 ? "a" : "b"),\(Double(i % 5)),\(i),\(100 + 7 * i),\(Double(i % 3) + 0.5)\n" }
        f.write("d.csv", text)
        let outcome = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1"], in: f.url)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("'row_id' is named like an identifier"))
        #expect(outcome.stderr.contains("'serial' holds whole numbers that never repeat"))
        #expect(!outcome.stderr.contains("'x'"))
        let dropped = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1", "--drop", "row_id,serial"], in: f.url)
        #expect(dropped.status == 0 && !dropped.stderr.contains("warning"))
    }

    @Test func noProblemIsACommandLineError() throws {
        let f = TemporaryFolder()
        let outcome = try CommandRunner.run(["solve"], in: f.url)
        #expect(outcome.status == 64 && outcome.stderr.contains("give an instance file or --data"))
    }
}
