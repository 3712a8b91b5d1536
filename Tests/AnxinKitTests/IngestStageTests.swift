import AnxinCore
import CSV
import Foundation
import Testing
@testable import AnxinKit

@Suite("Ingest stage")
struct IngestStageTests {
    func run(_ f: Fixture, _ extra: String = "") async throws -> (Configuration, IngestReport) {
        let config = try Configuration.load(path: try f.config(extra))
        let reference = try ReferenceLoader.load(config.paths)
        return (config, try await IngestStage.run(config, reference: reference))
    }

    @Test func minimalInputsAreAllAccepted() async throws {
        let f = try Fixture()
        let (config, report) = try await run(f)
        #expect(report.inputs.map(\.input) == ["seekers", "police_records", "training", "institutions", "evaluations"])
        for r in report.inputs {
            #expect(r.rowsRead == 1 && r.accepted == 1 && r.rejected == 0, "\(r.input)")
        }
        let seekers = try Fixture.lines(at: IngestStage.datasetPath(config, .seekers))
        #expect(seekers.count == 2)
        let row = try Seeker(fields: seekers[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        #expect(row.idNumber.value == "11010519491231002X")
        #expect(FileManager.default.fileExists(atPath: IngestStage.datasetPath(config, .policeRecords)))
    }

    @Test func everyRowIsAcceptedOrRejectedAndTheCountsAddUp() async throws {
        let f = try Fixture()
        try f.write("seekers.csv", """
            application_id,name,id_number,sex,birth_date,phone,district,service_areas,institution_id,health_check,health_checked_on,applied_on
            A1,王秀兰,１１０１０５１９４９１２３１００２ｘ,女,1949年12月31日,138 1234 5678,330302,cleaning；nursing,ｗｚｊｚ0001,passed,2019/1/1,20190201
            A2,李四,110105194912310021,F,1949-12-31,13812345678,330302,cleaning,,passed,2019-01-01,2019-02-01
            A3,张三,11010519491231002X,F,1949-12-31,12345,330399,cleaning,,passed,2019-01-01,2019-02-01
            A1,王秀兰,11010519491231002X,F,1949-12-31,13812345678,330302,cleaning,,passed,2019-01-01,2019-02-01
            A5,赵六,11010519491231002X,F,1949-12-31
            A6,"周, 七",11010519491231002X,F,1949-12-31,13812345678,330302,cleaning,WZJZ9999,passed,2019-01-01,2019-08-30

            A7,吴"八,11010519491231002X,F,1949-12-31,13812345678,330302,cleaning,,passed,2019-01-01,2019-02-01
            A8,郑九,11010519491231002X,F,1949-12-31,13812345678,330302,"cleaning;
            nursing",,pending,,2019-02-01

            """)
        let (config, report) = try await run(f)
        let seekers = try #require(report.input(.seekers))
        #expect(seekers.rowsRead == 8)
        #expect(seekers.accepted == 2)
        #expect(seekers.rejected == 6)
        #expect(seekers.rowsRead == seekers.accepted + seekers.rejected)

        let ledger = try Fixture.lines(at: report.rejectsPath)
        #expect(ledger[0] == "input,file,line,column,header,reason,detail,value")
        func entries(line: Int) -> [String] {
            ledger.filter { $0.hasPrefix("seekers,seekers.csv,\(line),") }
        }
        #expect(entries(line: 3).contains { $0.contains(",id_number,id_number,bad_id_check,") })
        #expect(entries(line: 4).contains { $0.contains(",bad_phone,") })
        #expect(entries(line: 4).contains { $0.contains(",unknown_district,") })
        #expect(entries(line: 5).contains { $0.contains(",duplicate,") })
        #expect(entries(line: 6) == ["seekers,seekers.csv,6,(row),(row),column_count,\"expected 12 fields, found 5\",\"A5,赵六,11010519491231002X,F,1949-12-31\""])
        #expect(entries(line: 7).contains { $0.contains(",unknown_institution,") })
        #expect(entries(line: 7).contains { $0.contains(",after_as_of,") })
        #expect(entries(line: 9).contains { $0.contains(",(row),(row),bad_quote,") })
        #expect(entries(line: 7).contains { $0.contains(",name,name,bad_name,") })
        #expect(ledger.count - 1 == report.rejectEntries)

        // The accepted multi-line row keeps its own line and normalized values.
        let dataset = try readDataset(IngestStage.datasetPath(config, .seekers))
        #expect(dataset.map(\.applicationID) == ["A1", "A8"])
        #expect(dataset[0].idNumber.value == "11010519491231002X")
        #expect(dataset[0].institutionID == "WZJZ0001")
        #expect(dataset[0].phone == "13812345678")
        #expect(dataset[0].healthCheckedOn == CivilDate(year: 2019, month: 1, day: 1))
        #expect(dataset[1].serviceAreas == ["cleaning", "nursing"])
    }

    @Test func personalDataFilesAreOwnerOnly() async throws {
        let f = try Fixture()
        let (config, _) = try await run(f)
        for name in ["seekers", "police_records", "training", "evaluations", "rejects"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: IngestStage.directory(config) + "/\(name).csv")
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
        }
    }

    @Test func gb18030WithChineseHeadersAndAnExtraColumn() async throws {
        let f = try Fixture()
        // 申请编号,姓名,身份证号码,性别,出生日期,联系电话,所属区县,服务类别,所属机构,体检结果,体检日期,登记日期,备注
        let header = "申请编号,姓名,身份证号码,性别,出生日期,联系电话,所属区县,服务类别,所属机构,体检结果,体检日期,登记日期,备注\r\n"
        let row = "A1,王秀兰,11010519491231002X,女,1949-12-31,13812345678,330302,cleaning,,合格,2019-01-01,2019-02-01,无\r\n"
        try f.write("seekers.csv", bytes: try gb18030(header + row))
        let aliases = """
            [inputs.seekers.headers]
            "申请编号" = "application_id"
            "姓名" = "name"
            "身份证号码" = "id_number"
            "性别" = "sex"
            "出生日期" = "birth_date"
            "联系电话" = "phone"
            "所属区县" = "district"
            "服务类别" = "service_areas"
            "所属机构" = "institution_id"
            "体检结果" = "health_check"
            "体检日期" = "health_checked_on"
            "登记日期" = "applied_on"
            """
        let path = try f.config(aliases, replacing: [("path = \"seekers.csv\"", "path = \"seekers.csv\"\nencoding = \"gb18030\"")])
        let config = try Configuration.load(path: path)
        let report = try await IngestStage.run(config, reference: try ReferenceLoader.load(config.paths))
        let seekers = try #require(report.input(.seekers))
        #expect(seekers.accepted == 1)
        #expect(seekers.extraColumns == ["备注"])
        #expect(try readDataset(IngestStage.datasetPath(config, .seekers)).first?.name == "王秀兰")
    }

    @Test func aMissingRequiredColumnStopsTheRunBeforeAnythingIsWritten() async throws {
        let f = try Fixture()
        try f.write("training.csv", "id_number,course,service_area,hours,passed,completed_on\n")
        let config = try Configuration.load(path: try f.config())
        await #expect {
            _ = try await IngestStage.run(config, reference: try ReferenceLoader.load(config.paths))
        } throws: { error in
            let e = error as? PipelineError
            return e?.exitCode == 2 && e!.description.contains("training.csv") && e!.description.contains("course_code")
        }
        #expect(!FileManager.default.fileExists(atPath: IngestStage.datasetPath(config, .seekers)))
    }

    @Test func anEmptyRequiredFileStopsTheRun() async throws {
        let f = try Fixture()
        try f.write("evaluations.csv", "")
        let config = try Configuration.load(path: try f.config())
        await #expect(throws: PipelineError.self) {
            _ = try await IngestStage.run(config, reference: try ReferenceLoader.load(config.paths))
        }
    }

    @Test func aHeaderOnlyFileIsZeroRows() async throws {
        let f = try Fixture()
        try f.write("evaluations.csv", "evaluation_id,institution_id,worker_id_number,rating,complaint,evaluated_on\n")
        let (_, report) = try await run(f)
        #expect(report.input(.evaluations)?.rowsRead == 0)
    }

    @Test func aRerunReplacesTheDatasetsWhole() async throws {
        let f = try Fixture()
        let (config, _) = try await run(f)
        let first = try Fixture.lines(at: IngestStage.datasetPath(config, .seekers))
        _ = try await run(f)
        #expect(try Fixture.lines(at: IngestStage.datasetPath(config, .seekers)) == first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: IngestStage.directory(config)).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

/// Reads a seekers dataset back through the CSV reader.
func readDataset(_ path: String) throws -> [Seeker] {
    let reader = try CSVReader(path: path)
    var rows: [Seeker] = []
    var first = true
    while let item = try reader.next() {
        guard case .record(let r) = item else { continue }
        if first { first = false; continue }
        rows.append(try Seeker(fields: r.lossyFields.map(CSVWriter.restore)))
    }
    return rows
}

/// Encodes text as GB18030 with iconv.
func gb18030(_ text: String) throws -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")
    defer { iconv_close(cd) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: input.count * 4 + 16)
    var inLeft = input.count
    var outLeft = output.count
    let produced = input.withUnsafeMutableBufferPointer { ib in
        output.withUnsafeMutableBufferPointer { ob -> Int in
            var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress
            var op: UnsafeMutablePointer<CChar>? = ob.baseAddress
            _ = iconv(cd, &ip, &inLeft, &op, &outLeft)
            return ob.count - outLeft
        }
    }
    return output[0..<produced].map { UInt8(bitPattern: $0) }
}
