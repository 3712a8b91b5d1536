import AnxinCore
import Foundation
import Testing
@testable import AnxinKit

/// Expects loading to fail with a configuration error whose message contains every fragment.
func expectConfigError(_ path: String, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try Configuration.load(path: path)
        Issue.record("loaded without error", sourceLocation: sourceLocation)
    } catch {
        #expect(error.exitCode == 2, sourceLocation: sourceLocation)
        for f in fragments {
            #expect(error.description.contains(f), "\(error.description) lacks \(f)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test func theShippedConfigurationLoadsWithTheContractsDefaults() throws {
        let config = try Configuration.load(path: Fixture.repo.appendingPathComponent("pipeline.conf").path)
        #expect(config.asOf == CivilDate(year: 2019, month: 8, day: 29))
        #expect(config.screening == .default)
        #expect(config.eligibility == .default)
        #expect(config.evaluation == .default)
        #expect(config.cards == .default)
        #expect(config.inputs.count == InputKind.allCases.count)
        #expect(config.inputs[.seekers]?.encoding == .gb18030)
        #expect(config.inputs[.seekers]?.headerAliases["身份证号码"] == "id_number")
    }

    @Test func relativePathsResolveAgainstTheConfigurationsFolder() throws {
        let f = try Fixture()
        let config = try Configuration.load(path: try f.config())
        #expect(config.inputs[.seekers]?.path == f.path("seekers.csv"))
        #expect(config.paths.work == f.path("var/work"))
        #expect(config.inputs[.reviewDecisions] == nil)
    }

    @Test func pathsAreShownWithoutDotDot() {
        #expect(Configuration.lexicallyNormal("sample-data/night-2/../../var/work") == "var/work")
        #expect(Configuration.lexicallyNormal("./a/./b") == "a/b")
        #expect(Configuration.lexicallyNormal("../x") == "../x")
        #expect(Configuration.lexicallyNormal("/srv/a/../b") == "/srv/b")
    }

    @Test func asOfTodayAndTheCommandLineOverride() throws {
        let f = try Fixture()
        let path = try f.config(replacing: [("as_of = \"2019-08-29\"", "as_of = \"today\"")])
        let today = CivilDate(year: 2026, month: 11, day: 29)!
        #expect(try Configuration.load(path: path, today: today).asOf == today)
        let fixed = CivilDate(year: 2020, month: 1, day: 1)!
        #expect(try Configuration.load(path: path, asOf: fixed, today: today).asOf == fixed)
    }

    @Test func unknownKeysAreErrors() throws {
        let f = try Fixture()
        expectConfigError(try f.config("[eligibility]\nmin_agee = 18\n"), "[eligibility]", "unknown key \"min_agee\"", "min_age")
        expectConfigError(try f.config("[screenin]\n"), "unknown key \"screenin\"")
        expectConfigError(try f.config("[inputs.seekers_extra]\npath = \"seekers.csv\"\n"), "[inputs]", "seekers_extra")
    }

    @Test func wrongTypesAndRangesNameTheKey() throws {
        let f = try Fixture()
        expectConfigError(try f.config("[eligibility]\nmin_age = \"18\"\n"), "[eligibility] min_age", "whole number", "\"18\"")
        expectConfigError(try f.config("[screening.criminal_lookback_years]\ntheft = -1\n"), "theft", "0 to 150")
        expectConfigError(try f.config("[evaluation]\nweight_rating = 0.6\n"), "weights must add up to 1")
        expectConfigError(try f.config("[eligibility]\nmin_age = 70\n"), "min_age", "max_age")
        expectConfigError(try f.config("[screening]\nalways_disqualify = \"theft\"\n"), "always_disqualify", "list of strings")
        expectConfigError(try f.config("[cards]\nprefix = \"wz\"\n"), "prefix")
        expectConfigError(try f.config(replacing: [("2019-08-29", "yesterday")]), "[run] as_of", "yesterday")
    }

    @Test func aCategoryCannotBeBothAlwaysAndLookback() throws {
        let f = try Fixture()
        expectConfigError(try f.config("[screening]\nalways_disqualify = [\"theft\"]\n"), "theft", "criminal_lookback_years")
    }

    @Test func missingOrUnreadableInputsStopTheRun() throws {
        let f = try Fixture()
        expectConfigError(try f.config(replacing: [("path = \"training.csv\"", "path = \"nope.csv\"")]),
                          "[inputs.training] path", "no such file", "nope.csv")
        expectConfigError(try f.config(replacing: [("[inputs.evaluations]\npath = \"evaluations.csv\"\n", "")]),
                          "missing table [inputs.evaluations]")
        expectConfigError(try f.config(replacing: [("path = \"seekers.csv\"", "path = \"seekers.csv\"\nencoding = \"latin1\"")]),
                          "[inputs.seekers] encoding", "utf-8 or gb18030")
        expectConfigError(f.path("absent.conf"), "absent.conf", "no such file")
    }

    @Test func headerAliasesMustNameCanonicalColumns() throws {
        let f = try Fixture()
        expectConfigError(try f.config("[inputs.seekers.headers]\n\"姓名\" = \"nam\"\n"),
                          "[inputs.seekers.headers] 姓名", "not a column of seekers")
    }

    @Test func tomlSyntaxErrorsGiveTheLine() throws {
        let f = try Fixture()
        expectConfigError(try f.config("[eligibility\nmin_age = 18\n"), "line")
    }
}
