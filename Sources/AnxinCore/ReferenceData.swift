/// An entry of a reference list: a code with its Chinese and English names.
public struct ReferenceEntry: Sendable, Hashable {
    public var code: String
    public var nameZH: String
    public var nameEN: String

    /// An entry with its names.
    public init(code: String, nameZH: String, nameEN: String) {
        self.code = code
        self.nameZH = nameZH
        self.nameEN = nameEN
    }
}

/// The market's own lists that extracts are validated against.
public struct ReferenceData: Sendable, Equatable {
    /// Wenzhou's district and county codes.
    public var districts: [ReferenceEntry]
    /// The service catalog.
    public var services: [ReferenceEntry]

    /// The lists as read.
    public init(districts: [ReferenceEntry], services: [ReferenceEntry]) {
        self.districts = districts
        self.services = services
    }

    /// District codes.
    public var districtCodes: Set<String> { Set(districts.map(\.code)) }
    /// Service-area codes.
    public var serviceCodes: Set<String> { Set(services.map(\.code)) }
}
