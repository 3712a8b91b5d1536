/// A household-service institution that places workers through the market.
public struct Institution: IngestibleRow, Hashable {
    public var institutionID: String
    public var name: String
    public var district: String
    public var licenseNo: String
    public var licenseValidUntil: CivilDate
    public var registeredOn: CivilDate

    /// An institution with every field given.
    public init(institutionID: String, name: String, district: String, licenseNo: String,
                licenseValidUntil: CivilDate, registeredOn: CivilDate) {
        self.institutionID = institutionID
        self.name = name
        self.district = district
        self.licenseNo = licenseNo
        self.licenseValidUntil = licenseValidUntil
        self.registeredOn = registeredOn
    }

    public static let kind = InputKind.institutions
    public static let columns = ["institution_id", "name", "district", "license_no", "license_valid_until", "registered_on"]
    public var uniqueKey: String? { institutionID }

    public var fields: [String] {
        [institutionID, name, district, licenseNo, licenseValidUntil.description, registeredOn.description]
    }

    public init(fields f: [String]) throws(DatasetError) {
        try Decode.check(f, Self.columns)
        self.init(institutionID: f[0], name: f[1], district: f[2], licenseNo: f[3],
                  licenseValidUntil: try Decode.date("license_valid_until", f[4]),
                  registeredOn: try Decode.date("registered_on", f[5]))
    }

    public static func parse(_ c: inout FieldCursor, rules: IngestRules) -> Institution? {
        let idText = c.text(0, maxLength: 64)
        let name = Text.foldFullWidth(c.text(1, maxLength: 200))
        let district = c.code(2, in: rules.districts, reason: .unknownDistrict)
        let license = Text.foldFullWidth(c.text(3, maxLength: 64))
        let validUntil = c.date(4)
        let registered = c.date(5)
        guard c.problems.isEmpty, let district, let validUntil, let registered else { return nil }
        return Institution(institutionID: FieldCursor.institutionID(idText), name: name, district: district,
                           licenseNo: license, licenseValidUntil: validUntil, registeredOn: registered)
    }
}
