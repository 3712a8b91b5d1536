/// Criminal or administrative.
public enum RecordKind: String, Sendable, Hashable {
    case criminal, administrative
}

/// One row of the Public Security Bureau's extract.
public struct PoliceRecord: IngestibleRow, Hashable {
    public var recordID: String
    /// The ID number as normalized; it may be empty or invalid in old records.
    public var idNumber: String
    /// True when `idNumber` is a valid ID number (a hit is possible).
    public var idValid: Bool
    public var name: String
    public var birthDate: CivilDate?
    public var offenseCode: String
    public var offenseCategory: String
    public var recordKind: RecordKind
    public var recordDate: CivilDate
    public var sentenceEnd: CivilDate?

    /// A record with every field given.
    public init(recordID: String, idNumber: String, idValid: Bool, name: String, birthDate: CivilDate?,
                offenseCode: String, offenseCategory: String, recordKind: RecordKind,
                recordDate: CivilDate, sentenceEnd: CivilDate?) {
        self.recordID = recordID
        self.idNumber = idNumber
        self.idValid = idValid
        self.name = name
        self.birthDate = birthDate
        self.offenseCode = offenseCode
        self.offenseCategory = offenseCategory
        self.recordKind = recordKind
        self.recordDate = recordDate
        self.sentenceEnd = sentenceEnd
    }

    public static let kind = InputKind.policeRecords
    public static let columns = [
        "record_id", "id_number", "name", "birth_date", "offense_code", "offense_category",
        "record_kind", "record_date", "sentence_end",
    ]
    /// The dataset adds whether the ID number is valid, so later stages need not recheck it.
    public static let datasetColumns = columns + ["id_valid"]

    public var uniqueKey: String? { recordID }

    /// The later of the record date and the end of the sentence: where lookbacks count from.
    public var lookbackFrom: CivilDate { max(recordDate, sentenceEnd ?? recordDate) }

    public var fields: [String] {
        [recordID, idNumber, name, birthDate?.description ?? "", offenseCode, offenseCategory,
         recordKind.rawValue, recordDate.description, sentenceEnd?.description ?? "", idValid ? "true" : "false"]
    }

    public init(fields f: [String]) throws(DatasetError) {
        guard f.count == PoliceRecord.columns.count + 1 else {
            throw DatasetError("expected \(PoliceRecord.columns.count + 1) fields, found \(f.count)")
        }
        self.init(recordID: f[0], idNumber: f[1], idValid: try Decode.bool("id_valid", f[9]), name: f[2],
                  birthDate: try Decode.optionalDate("birth_date", f[3]), offenseCode: f[4],
                  offenseCategory: f[5], recordKind: try Decode.enumValue("record_kind", f[6]),
                  recordDate: try Decode.date("record_date", f[7]),
                  sentenceEnd: try Decode.optionalDate("sentence_end", f[8]))
    }

    static let kinds: [String: RecordKind] = [
        "criminal": .criminal, "administrative": .administrative, "刑事": .criminal, "行政": .administrative,
    ]

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> PoliceRecord? {
        let recordID = c.text(0, maxLength: 64)
        // Old records may carry no ID number or a mistyped one: kept, and matched by name
        // and birth date instead.
        let idText = IDNumber.normalize(c.text(1, required: false, maxLength: 64))
        let idValid = (try? IDNumber.parse(idText).get()) != nil
        let name = Text.foldFullWidth(c.text(2, maxLength: 60))
        let birth = c.date(3, required: false)
        let offenseCode = Text.foldFullWidth(c.text(4, required: false, maxLength: 64))
        let category = Text.code(c.text(5, maxLength: 64))
        let kind = c.choice(6, kinds, expected: "criminal or administrative")
        // Police dates in the future are kept (a sentence may end later).
        let recordDate = c.date(7)
        let sentenceEnd = c.date(8, required: false)
        guard c.problems.isEmpty, let kind, let recordDate else { return nil }
        return PoliceRecord(recordID: recordID, idNumber: idText, idValid: idValid, name: name,
                            birthDate: birth, offenseCode: offenseCode, offenseCategory: category,
                            recordKind: kind, recordDate: recordDate, sentenceEnd: sentenceEnd)
    }
}
