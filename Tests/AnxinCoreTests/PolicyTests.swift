import Testing
@testable import AnxinCore

@Suite("Default policy")
struct PolicyTests {
    @Test("screening defaults are the contract's")
    func screening() {
        let p = ScreeningPolicy.default
        #expect(p.alwaysDisqualify == ["homicide", "sexual_offense", "child_abuse", "trafficking", "robbery", "kidnapping"])
        #expect(p.criminalLookbackYears == ["theft": 5, "fraud": 5, "drug": 5, "assault": 5, "public_order": 3, "traffic": 3])
        #expect(p.administrativeLookbackYears == ["drug": 3])
        // A category is never both always-disqualifying and time-limited.
        #expect(p.alwaysDisqualify.isDisjoint(with: p.criminalLookbackYears.keys))
        // Administrative drug records are judged, not ignored.
        #expect(!p.administrativeIgnored.contains("drug"))
    }

    @Test("eligibility, card and evaluation defaults are the contract's")
    func others() {
        #expect(EligibilityPolicy.default == EligibilityPolicy(minAge: 18, maxAge: 65, healthCheckValidDays: 365,
                                                               minPassedCourses: 1))
        #expect(CardPolicy.default.prefix == "WZ")
        let e = EvaluationPolicy.default
        #expect(e.windowDays == 365)
        #expect(e.minCardHolders == 5)
        #expect(e.minEvaluations == 10)
        #expect(e.priorWeight == 20)
        #expect(e.wilsonZ == 1.96)
        #expect([e.weightRating, e.weightComplaints, e.weightCardHolders, e.weightTraining] == [0.5, 0.2, 0.2, 0.1])
        #expect(abs(e.weightRating + e.weightComplaints + e.weightCardHolders + e.weightTraining - 1) < 1e-12)
        #expect(e.topN == 20)
    }
}

@Suite("Reject vocabulary")
struct RejectVocabularyTests {
    @Test("every reason has a distinct snake_case code and an explanation")
    func codes() {
        let codes = RejectReason.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(RejectReason.allCases.allSatisfy { !$0.explanation.isEmpty })
    }

    @Test("the contract's reason codes are all there")
    func contractCodes() {
        for code in ["bad_id_check", "bad_date", "bad_phone", "unknown_district", "unknown_service",
                     "unknown_institution", "sex_mismatch", "birth_mismatch", "missing_field", "column_count",
                     "duplicate", "after_as_of"] {
            #expect(RejectReason(rawValue: code) != nil, "\(code)")
        }
    }

    @Test("a problem without a detail explains its reason")
    func defaultDetail() {
        let p = FieldProblem(column: "phone", reason: .badPhone, value: "123")
        #expect(p.detail == RejectReason.badPhone.explanation)
        #expect(FieldProblem(column: "phone", reason: .badPhone, detail: "eleven digits", value: "123").detail == "eleven digits")
    }

    @Test("inputs and their canonical columns follow the contract")
    func inputKinds() {
        #expect(InputKind.allCases.map(\.rawValue) == ["seekers", "police_records", "training", "institutions",
                                                       "evaluations", "review_decisions"])
        #expect(InputKind.training.columns == ["id_number", "course_code", "service_area", "hours", "passed", "completed_on"])
        #expect(InputKind.evaluations.columns == ["evaluation_id", "institution_id", "worker_id_number", "rating",
                                                  "complaint", "evaluated_on"])
        #expect(InputKind.allCases.filter(\.isOptional) == [.reviewDecisions])
        #expect(InputKind.seekers < InputKind.policeRecords)
    }
}
