import AnxinCore

/// A calibrated sample: published figures that `anxin run` must reproduce exactly on the
/// generated extracts, and the next night's extracts that show cards changing colour.
///
/// Random samples hope their draws land near a figure; a calibrated one decides each person's
/// fate first (card, screened for a named record, review for a named reason, pending for named
/// requirements) and then writes rows that lead there, so the figures hold for every seed.
public struct SampleCalibration: Sendable, Equatable {
    /// The name the command line knows it by, e.g. `wenzhou-2019`.
    public var name: String
    /// Where the figures come from.
    public var source: String
    /// The seed used when none is given.
    public var defaultSeed: UInt64
    /// The first night's as-of date (the second night's is the day after).
    public var asOf: CivilDate
    /// Accepted rows of `seekers.csv` on the first night (the funnel's `registrations`).
    public var registrations: Int
    /// Of them, second registrations of someone registered earlier (one under another name).
    public var repeatRegistrations: Int
    /// People screened out for criminal records on the first night.
    public var screened: Int
    /// People in the review queue on the first night (possible matches, unknown categories).
    public var review: Int
    /// Card holders on the first night, all green.
    public var cardHolders: Int
    /// Institutions selected after the evaluation rounds (the default policy's top 20).
    public var selectedInstitutions: Int
    /// New registrations in the second night's extract.
    public var newRegistrations: Int

    /// Wenzhou's household-service market, May 2018 to 29 August 2019 (Wenzhou·China,
    /// 29 August 2019): more than 3,200 job seekers, 93 screened out for criminal records,
    /// 1,951 card holders, 20 institutions selected after rounds of evaluation.
    public static let wenzhou2019 = SampleCalibration(
        name: "wenzhou-2019", source: "Wenzhou·China, 29 August 2019", defaultSeed: 2019,
        asOf: CivilDate(year: 2019, month: 8, day: 29)!, registrations: 3200, repeatRegistrations: 96,
        screened: 93, review: 6, cardHolders: 1951, selectedInstitutions: 20, newRegistrations: 8)

    /// Every calibration, by name.
    public static let all = [wenzhou2019]

    /// The calibration called `name`, if there is one.
    public static func named(_ name: String) -> SampleCalibration? { all.first { $0.name == name } }

    /// What `anxin run` reports on one night's extracts.
    public struct Figures: Sendable, Equatable {
        public var asOf: CivilDate
        /// The funnel.
        public var registrations, people, screened, review, pending, eligible: Int
        /// Cards in the registry after the night, by colour, and those issued that night.
        public var green, yellow, red, issued: Int
        /// Cards whose colour changed that night (issues not counted).
        public var recoloured: Int
    }

    /// The folder of night `n` (2 or later) inside the sample's folder.
    public static func nightFolder(_ n: Int) -> String { "night-\(n)" }

    /// The first night: the published figures and the designed remainder.
    public var night1: Figures {
        let people = registrations - repeatRegistrations
        return Figures(asOf: asOf, registrations: registrations, people: people, screened: screened, review: review,
                       pending: people - screened - review - cardHolders, eligible: cardHolders,
                       green: cardHolders, yellow: 0, red: 0, issued: cardHolders, recoloured: 0)
    }

    /// The second night (as-of the day after): the same people and the new registrations; one
    /// card holder has a new police record (red), one card holder's health check is a year and a
    /// day old (yellow), and one person of the review queue is cleared by an official (a new card).
    public var night2: Figures {
        let n = night1
        let people = n.people + newRegistrations
        let eligible = n.eligible - 2 + 1
        return Figures(asOf: asOf.adding(days: 1), registrations: n.registrations + newRegistrations, people: people,
                       screened: n.screened + 1, review: n.review - 1,
                       pending: people - (n.screened + 1) - (n.review - 1) - eligible, eligible: eligible,
                       green: eligible, yellow: 1, red: 1, issued: 1, recoloured: 2)
    }

    /// Both nights, in order.
    public var nights: [Figures] { [night1, night2] }
}
