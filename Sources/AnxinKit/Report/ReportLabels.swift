import AnxinCore

/// Every word the oversight workbook shows, one table per language (`[report] language`).
///
/// Codes stay codes where an official filters or types them (reason codes, `clear`/`screen`);
/// the words around them are translated.
struct ReportLabels: Sendable {
    /// The language of this table.
    var language: ReportLanguage

    // MARK: Sheet names (at most 26 characters, so that " (12)" still fits Excel's 31)
    var summarySheet: String
    var screeningSheet: String
    var reviewSheet: String
    var cardsSheet: String
    var pendingSheet: String
    var institutionsSheet: String
    var districtsSheet: String
    var dataQualitySheet: String
    var rejectedRowsSheet: String
    var trendsSheet: String

    // MARK: Summary
    var title: String
    var market: String
    var run: String
    var asOf: String
    var inputsTitle: String
    var inputsHeader: [String]
    var inputNames: [InputKind: String]
    var noIngestRecord: String
    var funnelTitle: String
    var funnelHeader: [String]
    var funnelSteps: [String]  // registrations, people, screened, review, pending, cards
    var funnelSeries: String
    var coloursTitle: String
    var coloursHeader: [String]
    var colourNames: [CodeColour: String]
    var total: String
    var issuedTonight: String
    var changedTonight: String
    var noRegistry: String
    var rejectsTitle: String
    var rejectsHeader: [String]
    var noRejects: String
    var selectedTitle: String
    var selectedHeader: [String]
    var notEvaluated: String  // %@ = the missing file
    var noneSelected: String
    var sheetsTitle: String
    var sheetsHeader: [String]
    var notesTitle: String
    var notes: [String]

    // MARK: People
    var maskedID: String
    var name: String
    var institution: String
    var district: String
    var screeningHeader: [String]  // after the four person columns
    var kinds: [String: String]
    var screenedByPolicy: String
    var screenedByDecision: String
    var reviewContext: [String]  // after the five decision columns: name, institution, why, records
    var reviewNotice: String
    var matchWords: [String: String]
    var reviewReasons: [String: String]
    var cardsHeader: [String]
    var pendingHeader: [String]  // after the four person columns
    var districtsHeader: [String]
    var areasHeader: [String]
    var withoutInstitution: String
    /// In an input's checksum cell: the extract changed while the run read it.
    var inputChangedWhileRead: String

    // MARK: Institutions
    var institutionsHeader: [String]
    var yes: String
    var no: String
    var institutionsMissing: String  // %@ = the missing file
    var scoresChart: String

    // MARK: Data quality
    var qualityHeader: [String]
    var conflictsTitle: String
    var conflictsHeader: [String]
    var noConflicts: String
    var unusedTitle: String
    var unusedHeader: [String]
    var noUnused: String
    var rejectedRowsHeader: [String]
    var withheld: String
    var reasonWords: [RejectReason: String]

    // MARK: Trends
    var trendsHeader: [String]
    var trendsChart: String

    /// The table for `language`.
    static func of(_ language: ReportLanguage) -> ReportLabels {
        switch language {
        case .zh: return zh
        case .en: return en
        }
    }

    /// The explanation of a reject reason code.
    func explain(_ code: String) -> String {
        guard let reason = RejectReason(rawValue: code) else { return code }
        return reasonWords[reason] ?? reason.explanation
    }

    /// A person's reason code in plain words (`underage`, `health_expired`, `review:possible_match`, ...).
    func explainPersonReason(_ code: String, eligibility: EligibilityPolicy) -> String {
        let zh = language == .zh
        switch code {
        case "underage":
            return zh ? "未满 \(eligibility.minAge) 周岁" : "younger than \(eligibility.minAge)"
        case "overage":
            return zh ? "超过 \(eligibility.maxAge) 周岁" : "older than \(eligibility.maxAge)"
        case "health_missing":
            return zh ? "没有体检结果（或体检结果待定）" : "no health check result (none, or pending)"
        case "health_failed":
            return zh ? "体检未通过" : "failed the health check"
        case "health_expired":
            return zh ? "体检已超过 \(eligibility.healthCheckValidDays) 天，需重新体检"
                : "health check older than \(eligibility.healthCheckValidDays) days: a new one is due"
        case "no_passed_training":
            return zh ? "没有通过的培训课程" : "no passed training course"
        default:
            if let words = reviewReasons[code] { return words }
            if code.hasPrefix("screened:") { return zh ? "审查不通过" : "screened out" }
            return code
        }
    }

    /// Why an institution stopped, in plain words: the evaluation's codes joined by `;`
    /// (`licence_expired`, `too_few_card_holders:3<5`, `too_few_evaluations:4<10`, `below_top_20:rank 23`).
    func explainStop(_ codes: String) -> String {
        let zh = language == .zh
        func numbers(_ s: Substring) -> (String, String) {
            let parts = s.split(separator: "<", maxSplits: 1).map(String.init)
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
        let words = codes.split(separator: ";").map { code -> String in
            let parts = code.split(separator: ":", maxSplits: 1)
            let name = parts.first.map(String.init) ?? ""
            let detail = parts.count > 1 ? parts[1] : ""
            switch name {
            case "licence_expired", "license_expired":
                return zh ? "执照已过期" : "licence expired"
            case "too_few_card_holders":
                let (n, min) = numbers(detail)
                return zh ? "持卡员工 \(n) 人，至少需要 \(min) 人" : "\(n) card holders on staff, \(min) needed"
            case "too_few_evaluations":
                let (n, min) = numbers(detail)
                return zh ? "评价 \(n) 条，至少需要 \(min) 条" : "\(n) evaluations, \(min) needed"
            default:
                if name.hasPrefix("below_top_") {
                    let top = name.dropFirst("below_top_".count)
                    let rank = detail.replacingOccurrences(of: "rank ", with: "")
                    return zh ? "排名第 \(rank)，未进入前 \(top) 名" : "ranked \(rank), below the top \(top)"
                }
                return String(code)
            }
        }
        return words.joined(separator: zh ? "；" : "; ")
    }

    /// A screening rule in the sheet's language. The screening stage words its rules in English
    /// (`criminal theft within 5 years (2018-08-10 is on or after 2014-08-29)`); in Chinese they
    /// are reworded from their parts, and any rule of another shape is shown as written.
    func rule(_ text: String) -> String {
        guard language == .zh else { return text }
        var rest = Substring(text)
        var prefix = ""
        let possible = "possible match; were it a hit: "
        if rest.hasPrefix(possible) {
            prefix = "疑似同一人；若为同一人："
            rest = rest.dropFirst(possible.count)
        }
        let words = rest.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, let kind = kinds[String(words[0])] else { return text }
        var category = String(words[1])
        let tail = words.count > 2 ? String(words[2]) : ""
        var body: String
        if category.hasSuffix(":") {
            category.removeLast()
            let c = self.category(category)
            switch tail {
            case "disqualifies whatever the date": body = "\(kind) \(c)：无论时间远近均不合格"
            case "not disqualifying": body = "\(kind) \(c)：不影响资格"
            case "a category the policy does not name": body = "\(kind) \(c)：政策未列明的类别，需人工复核"
            default: return text
            }
        } else {
            // "within 5 years (A is on or after B)" or "older than 5 years (A is before B)"
            let c = self.category(category)
            let parts = tail.split(separator: " ").map(String.init)
            if parts.count == 9, parts[0] == "within", parts[2] == "years", parts[4] == "is", parts[5] == "on" {
                body = "\(kind) \(c)，\(parts[1]) 年内（\(parts[3].dropFirst()) 不早于 \(parts[8].dropLast())）"
            } else if parts.count == 8, parts[0] == "older", parts[1] == "than", parts[5] == "is", parts[6] == "before" {
                body = "\(kind) \(c)，已超过 \(parts[2]) 年（\(parts[4].dropFirst()) 早于 \(parts[7].dropLast())）"
            } else {
                return text
            }
        }
        return prefix + body
    }

    /// An official's decision as the screening stage words it (`screen by 林海燕 on 2019-06-24`),
    /// in the sheet's language.
    func decision(_ text: String) -> String {
        guard language == .zh, let by = text.range(of: " by "), let on = text.range(of: " on ", options: .backwards),
              by.upperBound <= on.lowerBound else { return text }
        let what = text[..<by.lowerBound]
        let words = what == "clear" ? "clear（排除）" : what == "screen" ? "screen（筛除）" : String(what)
        return "\(text[by.upperBound..<on.lowerBound]) 于 \(text[on.upperBound...]) 决定 \(words)"
    }

    /// Why a review decision was not applied, in the sheet's language.
    func notApplied(_ reason: String) -> String {
        guard language == .zh else { return reason }
        switch reason {
        case "no job seeker has this ID number": return "没有求职人员使用该身份证号"
        case "the person is not in tonight's review queue": return "此人不在本次待复核名单中"
        case "a later decision for the same person was applied": return "已执行对同一人更晚的决定"
        default: return reason
        }
    }

    /// An offence category in plain words, the code itself when it has none.
    func category(_ code: String) -> String {
        let zh = language == .zh
        guard zh else { return code.replacingOccurrences(of: "_", with: " ") }
        let words = [
            "homicide": "故意杀人", "sexual_offense": "性犯罪", "child_abuse": "虐待儿童", "trafficking": "拐卖人口",
            "robbery": "抢劫", "kidnapping": "绑架", "theft": "盗窃", "fraud": "诈骗", "drug": "毒品",
            "assault": "殴打伤害", "public_order": "扰乱公共秩序", "traffic": "交通违法", "gambling": "赌博",
        ]
        return words[code].map { "\($0)（\(code)）" } ?? code
    }

    // MARK: - The tables

    static let en = ReportLabels(
        language: .en,
        summarySheet: "Summary",
        screeningSheet: "Screening",
        reviewSheet: "Review (confidential)",
        cardsSheet: "Cards",
        pendingSheet: "Pending",
        institutionsSheet: "Institutions",
        districtsSheet: "Districts and areas",
        dataQualitySheet: "Data quality",
        rejectedRowsSheet: "Rejected rows",
        trendsSheet: "Trends",
        title: "Anxin oversight report",
        market: "Market",
        run: "Run",
        asOf: "As of",
        inputsTitle: "Inputs read",
        inputsHeader: ["Input", "File", "Rows read", "Accepted", "Rejected", "SHA-256 of the file"],
        inputNames: [.seekers: "Job seekers' registrations", .policeRecords: "Police records (PSB extract)",
                     .training: "Training results", .institutions: "Institutions", .evaluations: "Employers' evaluations",
                     .reviewDecisions: "Review decisions"],
        noIngestRecord: "counted from the datasets: no ingest record",
        funnelTitle: "From registration to card",
        funnelHeader: ["Step", "Count"],
        funnelSteps: ["Registrations", "People (one file each)", "Screened out", "Awaiting review",
                      "Pending: a requirement unmet", "Eligible, with a card"],
        funnelSeries: "People",
        coloursTitle: "Cards by code colour",
        coloursHeader: ["Colour", "Cards"],
        colourNames: [.green: "green", .yellow: "yellow", .red: "red"],
        total: "Total",
        issuedTonight: "Issued in this run",
        changedTonight: "Changed colour in this run",
        noRegistry: "No card registry yet: the cards stage has not run.",
        rejectsTitle: "Rejected input rows, by reason",
        rejectsHeader: ["Reason", "Meaning", "Problems found"],
        noRejects: "No input row was rejected.",
        selectedTitle: "Institutions selected",
        selectedHeader: ["Rank", "Institution", "Score"],
        notEvaluated: "The institution evaluation has not run yet (%@ does not exist).",
        noneSelected: "No institution was selected.",
        sheetsTitle: "Sheets in this workbook",
        sheetsHeader: ["Sheet", "Data rows"],
        notesTitle: "About this workbook",
        notes: [
            "ID numbers are masked (330302********123X) on every sheet except the id_number column of \"Review (confidential)\": decisions can only be applied to a full number.",
            "Police record details appear only on \"Screening\" and \"Review (confidential)\".",
            "To decide a review: choose clear or screen in its decision column, fill in decided_by, decided_on and note, delete the rows left undecided, then save that sheet as CSV UTF-8 for the next night's review_decisions.",
            "Rejected input rows are listed on \"Rejected rows\" with their file, line and reason; ID numbers, phone numbers and names in their values are masked.",
        ],
        maskedID: "ID number (masked)",
        name: "Name",
        institution: "Institution",
        district: "District",
        screeningHeader: ["Record", "Kind", "Category", "Record or sentence-end date", "Rule applied", "Screened by"],
        kinds: ["criminal": "criminal", "administrative": "administrative"],
        screenedByPolicy: "the policy",
        screenedByDecision: "an official's decision",
        reviewContext: ["Name", "Institution", "Why under review", "Candidate record(s): record · kind · category · date; match; rule"],
        reviewNotice: "CONFIDENTIAL: full ID numbers in column A",
        matchWords: ["hit": "same ID number", "possible_match": "same name and birth date, no usable ID number"],
        reviewReasons: ["review:possible_match": "a possible match: same name and birth date",
                        "review:unknown_category": "a category the policy does not name"],
        cardsHeader: ["Card number", "ID number (masked)", "Name", "Code colour", "Service areas", "Institution",
                      "First issued", "Colour since"],
        pendingHeader: ["Waiting for", "Health checked on"],
        districtsHeader: ["District", "People", "Screened out", "Awaiting review", "Pending", "Eligible, with a card"],
        areasHeader: ["Service area", "People registered", "Screened out", "Card holders qualified"],
        withoutInstitution: "(independent)",
        inputChangedWhileRead: "(changed while it was read: the next run reads it again)",
        institutionsHeader: ["Rank", "Institution ID", "Name", "District", "Licence valid until", "Registered staff",
                             "Card holders", "Evaluations", "Mean rating", "Complaints", "R (rating)", "C (complaints)",
                             "K (card holders)", "T (training)", "Score", "Round reached", "Selected", "Stopped because"],
        yes: "yes",
        no: "no",
        institutionsMissing: "The institution evaluation has not run yet: %@ does not exist.",
        scoresChart: "Scores of the selected institutions",
        qualityHeader: ["Input", "File", "Reason", "Meaning", "Problems found"],
        conflictsTitle: "One ID number registered under different names",
        conflictsHeader: ["ID number (masked)", "Registrations (application: name)", "Name kept"],
        noConflicts: "No ID number was registered under two names.",
        unusedTitle: "Review decisions not applied",
        unusedHeader: ["ID number (masked)", "Decision", "Why not applied"],
        noUnused: "Every review decision was applied.",
        rejectedRowsHeader: ["Input", "File", "Line", "Column", "Header in the file", "Reason", "What was wrong",
                             "Value as it arrived (personal data masked)"],
        withheld: "(police extract: value not shown)",
        reasonWords: [:],
        trendsHeader: ["As of", "Registrations", "People", "Screened out", "Awaiting review", "Pending",
                       "Green cards", "Yellow cards", "Red cards", "Cards issued"],
        trendsChart: "Night by night")

    static let zh = ReportLabels(
        language: .zh,
        summarySheet: "概览",
        screeningSheet: "审查结果",
        reviewSheet: "待复核（内部保密）",
        cardsSheet: "服务卡",
        pendingSheet: "待办",
        institutionsSheet: "机构评估",
        districtsSheet: "区县与服务类别",
        dataQualitySheet: "数据质量",
        rejectedRowsSheet: "退回的行",
        trendsSheet: "趋势",
        title: "安心家政监管报告",
        market: "市场",
        run: "运行编号",
        asOf: "数据截止日期",
        inputsTitle: "读取的数据",
        inputsHeader: ["数据", "文件", "读取行数", "接受", "退回", "文件 SHA-256 校验值"],
        inputNames: [.seekers: "求职人员登记", .policeRecords: "公安记录（体检数据）", .training: "培训结果",
                     .institutions: "家政机构", .evaluations: "雇主评价", .reviewDecisions: "复核决定"],
        noIngestRecord: "据数据集统计：无导入记录",
        funnelTitle: "从登记到发卡",
        funnelHeader: ["环节", "数量"],
        funnelSteps: ["登记次数", "人员（一人一档）", "审查不通过", "待复核", "条件未满足", "合格持卡"],
        funnelSeries: "人数",
        coloursTitle: "服务卡码色",
        coloursHeader: ["码色", "卡数"],
        colourNames: [.green: "绿码", .yellow: "黄码", .red: "红码"],
        total: "合计",
        issuedTonight: "本次新发卡",
        changedTonight: "本次码色变化",
        noRegistry: "尚无服务卡登记库：发卡环节尚未运行。",
        rejectsTitle: "退回的输入行（按原因）",
        rejectsHeader: ["原因", "说明", "问题数"],
        noRejects: "没有退回的输入行。",
        selectedTitle: "入选机构",
        selectedHeader: ["名次", "机构", "得分"],
        notEvaluated: "机构评估尚未运行（%@ 不存在）。",
        noneSelected: "没有机构入选。",
        sheetsTitle: "本报告的工作表",
        sheetsHeader: ["工作表", "数据行数"],
        notesTitle: "关于本报告",
        notes: [
            "身份证号在各表中均已脱敏（330302********123X），唯一例外是“待复核（内部保密）”表的 id_number 列：复核决定必须对应完整号码才能执行。",
            "公安记录的详情只出现在“审查结果”和“待复核（内部保密）”两张表中。",
            "复核方法：在“待复核”表的 decision 列选择 clear（排除）或 screen（筛除），填写 decided_by、decided_on、note，删除未作决定的行，再将该表另存为 CSV UTF-8，作为次日的 review_decisions。",
            "被退回的输入行列在“退回的行”表中，注明文件、行号和原因；其中的身份证号、手机号和姓名均已脱敏。",
        ],
        maskedID: "身份证号（脱敏）",
        name: "姓名",
        institution: "所属机构",
        district: "区县",
        screeningHeader: ["记录编号", "类型", "类别", "记录或刑满日期", "适用规则", "筛除依据"],
        kinds: ["criminal": "刑事", "administrative": "行政"],
        screenedByPolicy: "政策规则",
        screenedByDecision: "人工复核决定",
        reviewContext: ["姓名", "所属机构", "复核原因", "待核记录：编号 · 类型 · 类别 · 日期；匹配方式；规则"],
        reviewNotice: "保密：A 列为完整身份证号",
        matchWords: ["hit": "身份证号一致", "possible_match": "姓名和出生日期相同，记录无有效身份证号"],
        reviewReasons: ["review:possible_match": "疑似同一人：姓名和出生日期相同",
                        "review:unknown_category": "政策未列明的记录类别"],
        cardsHeader: ["卡号", "身份证号（脱敏）", "姓名", "码色", "服务类别", "所属机构", "首次发卡", "码色起始日期"],
        pendingHeader: ["尚缺条件", "体检日期"],
        districtsHeader: ["区县", "人员", "审查不通过", "待复核", "条件未满足", "合格持卡"],
        areasHeader: ["服务类别", "登记人员", "审查不通过", "具备该类资格的持卡人"],
        withoutInstitution: "（个人）",
        inputChangedWhileRead: "（读取期间文件已变更，下次运行将重新读取）",
        institutionsHeader: ["名次", "机构编号", "机构名称", "区县", "执照有效期至", "登记员工", "持卡员工", "评价数",
                             "平均评分", "投诉数", "R（评分）", "C（投诉）", "K（持卡）", "T（培训）", "得分", "到达轮次",
                             "是否入选", "止步原因"],
        yes: "是",
        no: "否",
        institutionsMissing: "机构评估尚未运行：%@ 不存在。",
        scoresChart: "入选机构得分",
        qualityHeader: ["数据", "文件", "原因", "说明", "问题数"],
        conflictsTitle: "同一身份证号以不同姓名登记",
        conflictsHeader: ["身份证号（脱敏）", "登记记录（申请编号：姓名）", "保留的姓名"],
        noConflicts: "没有同一身份证号以不同姓名登记的情况。",
        unusedTitle: "未执行的复核决定",
        unusedHeader: ["身份证号（脱敏）", "决定", "未执行原因"],
        noUnused: "所有复核决定均已执行。",
        rejectedRowsHeader: ["数据", "文件", "行号", "列", "文件中的列名", "原因", "问题", "原始值（个人信息已脱敏）"],
        withheld: "（公安数据，不在此显示）",
        reasonWords: [
            .missingField: "必填字段为空", .columnCount: "字段数过多或过少", .badEncoding: "含有不符合文件编码的字节",
            .badQuote: "CSV 中不应出现的引号", .unterminatedQuote: "文件在引号内结束",
            .badID: "不是 18 位身份证号，或其出生日期不存在", .badIDCheck: "身份证号校验位不符",
            .badDate: "无法识别的日期格式，或日期不存在", .badPhone: "不是 11 位大陆手机号",
            .badName: "姓名须为 1-30 个中文或拉丁字母", .badSex: "性别须为 M/F 或 男/女", .sexMismatch: "性别与身份证号不符",
            .birthMismatch: "出生日期与身份证号不符", .unknownDistrict: "不是温州的区县代码",
            .unknownService: "不是服务目录中的代码", .unknownInstitution: "机构数据中没有该机构",
            .unknownWorker: "求职人员中没有此人", .badValue: "不是允许的取值", .badNumber: "不是允许范围内的数字",
            .badRating: "评分须为 1 到 5 的整数", .tooLong: "超过允许长度", .duplicate: "该行的编号在文件前面已出现",
            .afterAsOf: "日期晚于数据截止日期",
        ],
        trendsHeader: ["数据截止日期", "登记次数", "人员", "审查不通过", "待复核", "条件未满足", "绿码", "黄码", "红码",
                       "新发卡"],
        trendsChart: "逐日变化")
}
