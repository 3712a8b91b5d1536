/// The tables the sample generator draws people, places and records from. Weights are rough
/// shares (per mille or so) taken from published surname and migration statistics; they only
/// need to make the sample look like the market's extracts, not to be exact.
enum SampleNames {
    // MARK: Surnames

    /// Surnames across China, weighted by share (about per ten thousand).
    static let nationalSurnames: [(String, Int)] = [
        ("王", 710), ("李", 700), ("张", 670), ("刘", 540), ("陈", 450), ("杨", 310), ("黄", 220),
        ("赵", 200), ("吴", 200), ("周", 190), ("徐", 130), ("孙", 130), ("马", 120), ("朱", 110),
        ("胡", 110), ("郭", 110), ("何", 100), ("高", 95), ("林", 94), ("罗", 86), ("郑", 80),
        ("梁", 80), ("谢", 70), ("宋", 60), ("唐", 60), ("许", 60), ("韩", 50), ("冯", 50), ("邓", 50),
        ("曹", 50), ("彭", 50), ("曾", 40), ("肖", 40), ("田", 40), ("董", 40), ("袁", 40), ("潘", 40),
        ("于", 40), ("蒋", 40), ("蔡", 40), ("余", 40), ("杜", 40), ("叶", 40), ("程", 40), ("苏", 30),
        ("魏", 30), ("吕", 30), ("丁", 30), ("任", 30), ("沈", 30), ("姚", 30), ("卢", 30), ("姜", 30),
        ("崔", 30), ("钟", 30), ("谭", 30), ("陆", 30), ("汪", 30), ("范", 30), ("金", 30), ("石", 30),
        ("廖", 30), ("贾", 30), ("夏", 30), ("韦", 30), ("付", 30), ("方", 30), ("白", 30), ("邹", 20),
        ("孟", 20), ("熊", 20), ("秦", 20), ("邱", 20), ("江", 20), ("尹", 20), ("薛", 20), ("闫", 20),
        ("段", 20), ("雷", 20), ("侯", 20), ("龙", 20), ("史", 20), ("陶", 20), ("黎", 20), ("贺", 20),
        ("顾", 20), ("毛", 20), ("郝", 20), ("龚", 20), ("邵", 20), ("万", 20), ("钱", 20), ("严", 20),
        ("覃", 15), ("武", 15), ("戴", 15), ("莫", 15), ("孔", 15), ("向", 15), ("汤", 15),
    ]

    /// Surnames of people born in Wenzhou, where 陈, 林, 郑, 叶, 金 and 潘 are far commoner.
    static let wenzhouSurnames: [(String, Int)] = [
        ("陈", 900), ("林", 500), ("黄", 420), ("王", 400), ("张", 380), ("李", 330), ("周", 300),
        ("郑", 300), ("吴", 280), ("金", 250), ("叶", 250), ("潘", 220), ("徐", 200), ("胡", 180),
        ("朱", 150), ("杨", 140), ("刘", 130), ("章", 120), ("谢", 110), ("蔡", 110), ("余", 100),
        ("池", 90), ("季", 80), ("缪", 70), ("戴", 70), ("卢", 70), ("孙", 60), ("何", 60), ("赵", 60),
        ("董", 50), ("郭", 50), ("钱", 40), ("薛", 40), ("包", 40), ("麻", 30), ("瞿", 30), ("项", 30),
        ("邵", 30), ("姜", 30), ("施", 30), ("应", 30), ("苏", 30), ("彭", 20), ("高", 20), ("夏", 20),
    ]

    /// Two-character surnames: rare, but they make three- and four-character names.
    static let compoundSurnames = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容"]

    // MARK: Given names

    /// Characters common in women's given names.
    static let femaleGiven: [String] = [
        "丽", "芳", "娟", "敏", "静", "燕", "艳", "霞", "玲", "红", "梅", "英", "华", "萍", "琴", "兰",
        "秀", "珍", "凤", "莉", "雪", "慧", "婷", "洁", "颖", "琳", "倩", "晶", "丹", "青", "云", "月",
        "芬", "翠", "桂", "香", "巧", "美", "彩", "素", "淑", "惠", "娥", "莲", "玉", "春", "秋", "菊",
        "露", "瑶", "佳", "欣", "怡", "娜", "蓉", "爱", "亚", "小", "晓", "海", "金", "银", "双", "碧",
    ]

    /// Characters common in men's given names.
    static let maleGiven: [String] = [
        "伟", "强", "军", "勇", "杰", "磊", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
        "鑫", "波", "宁", "建", "国", "林", "峰", "志", "海", "东", "文", "龙", "成", "福", "荣", "新",
        "忠", "亮", "俊", "德", "永", "胜", "庆", "小", "晓", "振", "宏", "兵", "春", "金", "阳", "光",
    ]

    /// Characters that open a given name but do not end one.
    static let leadingOnly: Set<String> = ["小", "晓", "亚"]

    /// Whole given names of women born before about 1975, heavily repeated in that generation.
    static let classicFemaleGiven: [(String, Int)] = [
        ("秀英", 30), ("桂英", 20), ("秀兰", 20), ("玉兰", 18), ("桂兰", 15), ("秀珍", 15), ("凤英", 12),
        ("玉珍", 12), ("玉英", 12), ("兰英", 10), ("桂芳", 10), ("秀云", 10), ("素珍", 8), ("美华", 8),
        ("丽华", 8), ("春燕", 8), ("海燕", 8), ("丽娟", 8), ("雪梅", 8), ("红霞", 8),
    ]

    /// Uyghur women's names as transliterated into Chinese characters.
    static let uyghurFemale = ["阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "米热古丽", "努尔古丽",
                               "阿依努尔", "迪丽拜尔", "祖丽皮耶", "布合力且姆"]
    /// Uyghur men's names (also used as the father's name after the middle dot).
    static let uyghurMale = ["买买提", "艾力", "吐尔逊", "阿不都拉", "艾尼瓦尔", "库尔班", "依明",
                             "热合曼", "玉素甫", "努尔麦麦提"]

    // MARK: Places

    /// Shares of Wenzhou's districts and counties in the population, by code; codes of the
    /// reference list that are not here get `defaultDistrictWeight`.
    static let wenzhouDistrictWeights: [String: Int] = [
        "330302": 14, "330303": 8, "330304": 10, "330305": 2, "330324": 9, "330326": 8, "330327": 9,
        "330328": 4, "330329": 4, "330381": 13, "330382": 12, "330383": 3,
    ]
    /// Weight of a district code the table above does not know.
    static let defaultDistrictWeight = 3

    /// Region codes that no ID number issued before 2019 carries (Longgang became a city then).
    static let regionCodesTooNewForIDs: Set<String> = ["330383"]

    /// Wenzhou region codes of the 1980s, still carried by the ID numbers of older people.
    static let oldWenzhouRegions = ["330321", "330322", "330323", "330325"]

    /// Home counties of the market's migrant workers (Anhui, Jiangxi, Guizhou, Henan, Sichuan,
    /// Chongqing, Hunan, Hubei, Yunnan, Guangxi, Fujian, the rest of Zhejiang, ...).
    static let otherRegions: [(String, Int)] = [
        ("340121", 3), ("340822", 3), ("341222", 3), ("341621", 3), ("341125", 2),
        ("360121", 2), ("360321", 2), ("360681", 2), ("361121", 2),
        ("522426", 3), ("520221", 3), ("522623", 2),
        ("411522", 2), ("412726", 2), ("411721", 2), ("410122", 1),
        ("511621", 2), ("511321", 2), ("510722", 2),
        ("500228", 2), ("500237", 2),
        ("430521", 1), ("431021", 1), ("421127", 1), ("422822", 1),
        ("530381", 1), ("532128", 1), ("450881", 1),
        ("350322", 2), ("350982", 2),
        ("331121", 2), ("331082", 2), ("330621", 1), ("331022", 1), ("331124", 1),
        ("320830", 1), ("371322", 1),
    ]

    /// Xinjiang region codes, for people with Uyghur names.
    static let xinjiangRegions = ["653101", "652901", "650102", "653121"]

    /// First three digits of mainland mobile numbers, by rough share.
    static let phonePrefixes: [(Int, Int)] = [
        (130, 4), (131, 4), (132, 3), (133, 3), (134, 4), (135, 6), (136, 5), (137, 5), (138, 7),
        (139, 7), (147, 1), (150, 4), (151, 4), (152, 3), (153, 2), (155, 3), (156, 3), (157, 2),
        (158, 4), (159, 4), (166, 1), (170, 1), (173, 1), (176, 1), (177, 2), (178, 1), (180, 2),
        (181, 2), (182, 2), (183, 2), (185, 2), (186, 3), (187, 3), (188, 3), (189, 3), (198, 1),
        (199, 1),
    ]

    // MARK: Services

    /// How often a service area is offered, by code, for women and for men; catalog codes not
    /// listed get weight 2.
    static let serviceWeights: [String: (female: Int, male: Int)] = [
        "nursing": (8, 4), "childcare": (10, 1), "infant_care": (8, 0), "maternity_care": (12, 0),
        "postpartum_care": (4, 0), "elderly_care": (14, 6), "dementia_care": (2, 2),
        "disability_care": (2, 3), "patient_escort": (6, 8), "rehab_assist": (2, 3),
        "cleaning": (14, 6), "deep_cleaning": (4, 4), "window_cleaning": (3, 5),
        "appliance_cleaning": (3, 6), "carpet_cleaning": (1, 2), "laundry": (3, 1), "ironing": (2, 1),
        "cooking": (10, 4), "nutrition_meals": (3, 1), "housekeeping": (10, 3), "hourly_help": (12, 4),
        "home_organizing": (3, 1), "pet_care": (2, 2), "gardening": (1, 3), "errands": (2, 4),
        "moving": (0, 8), "home_repair": (1, 9), "plumbing": (0, 6), "electrical": (0, 6),
        "pest_control": (1, 3), "tutoring": (2, 1), "night_care": (4, 3),
    ]

    /// Course lengths in hours, by share.
    static let courseHours: [(String, Int)] = [
        ("16", 20), ("24", 15), ("32", 15), ("40", 20), ("48", 8), ("64", 8), ("80", 6), ("120", 4),
        ("12.5", 2), ("7.5", 2),
    ]

    // MARK: Institutions

    /// Trade names of household-service institutions.
    static let institutionBrands = [
        "安心", "好帮手", "贴心", "巧手", "瓯越", "东瓯", "百佳", "康乐", "福满堂", "阿姨之家", "亲亲",
        "月亮湾", "金牌", "优家", "惠民", "如意", "和美", "天使", "爱心", "邻家", "温馨", "家和",
        "万家", "乐居", "瓯江", "雁荡", "南塘", "五马", "江心", "鹿城",
    ]
    /// What the institution says it does.
    static let institutionTrades = ["家政", "家政", "家政", "母婴", "养老", "保洁", "家庭"]
    /// The form of the institution's name.
    static let institutionForms = ["服务有限公司", "服务有限公司", "服务中心", "服务部", "服务社"]

    // MARK: Review decisions

    /// Officials who decide review items.
    static let officials = ["陈晓东", "林海燕", "周建国", "郑丽君", "叶剑锋", "金晓敏"]

    /// Notes officials write when they dismiss a possible match.
    static let clearNotes = [
        "出生地与记录不符，非同一人",
        "经户籍核实，身份证号不同，排除",
        "已电话核实，本人无此记录",
        "同名同生日，经比对照片非同一人",
        "",
    ]
    /// Notes officials write when they confirm one.
    static let screenNotes = [
        "经公安核实为本人",
        "本人承认该记录",
        "户籍地址一致，确认为同一人",
    ]

    // MARK: Police records

    /// One offense category of the PSB extract, as the sample draws it.
    struct Offense {
        /// The category word of the extract.
        let category: String
        /// Share (per cent) of the category's records that are criminal, the rest administrative.
        let criminalPercent: Int
        /// Offense code of a criminal record (an article of the Criminal Law).
        let criminalCode: String
        /// Offense code of an administrative record (an article of the public-security or
        /// road-traffic penalty law).
        let administrativeCode: String
        /// Length of a criminal sentence, in months.
        let sentenceMonths: ClosedRange<Int>
    }

    /// The categories, with the shares in the extract for people who are not seekers and for
    /// seekers (whose records are mostly minor ones). `gambling` is deliberately a category the
    /// default policy does not name.
    static let offenses: [(Offense, extract: Int, seekers: Int)] = [
        (Offense(category: "theft", criminalPercent: 55, criminalCode: "XF264", administrativeCode: "ZA49", sentenceMonths: 6...36), 220, 160),
        (Offense(category: "traffic", criminalPercent: 30, criminalCode: "XF133", administrativeCode: "JT91", sentenceMonths: 1...6), 200, 300),
        (Offense(category: "public_order", criminalPercent: 15, criminalCode: "XF293", administrativeCode: "ZA26", sentenceMonths: 3...24), 150, 250),
        (Offense(category: "fraud", criminalPercent: 60, criminalCode: "XF266", administrativeCode: "ZA49", sentenceMonths: 12...60), 100, 50),
        (Offense(category: "drug", criminalPercent: 40, criminalCode: "XF348", administrativeCode: "ZA72", sentenceMonths: 6...48), 100, 50),
        (Offense(category: "assault", criminalPercent: 40, criminalCode: "XF234", administrativeCode: "ZA43", sentenceMonths: 6...36), 100, 80),
        (Offense(category: "gambling", criminalPercent: 20, criminalCode: "XF303", administrativeCode: "ZA70", sentenceMonths: 3...24), 5, 40),
        (Offense(category: "robbery", criminalPercent: 100, criminalCode: "XF263", administrativeCode: "ZA49", sentenceMonths: 36...120), 30, 20),
        (Offense(category: "sexual_offense", criminalPercent: 100, criminalCode: "XF236", administrativeCode: "ZA44", sentenceMonths: 36...120), 20, 10),
        (Offense(category: "homicide", criminalPercent: 100, criminalCode: "XF232", administrativeCode: "ZA43", sentenceMonths: 120...240), 5, 5),
        (Offense(category: "child_abuse", criminalPercent: 100, criminalCode: "XF260", administrativeCode: "ZA45", sentenceMonths: 12...60), 5, 10),
        (Offense(category: "trafficking", criminalPercent: 100, criminalCode: "XF240", administrativeCode: "ZA41", sentenceMonths: 60...120), 5, 10),
        (Offense(category: "kidnapping", criminalPercent: 100, criminalCode: "XF239", administrativeCode: "ZA40", sentenceMonths: 60...120), 3, 5),
    ]

    /// Categories that screen a seeker (or send a possible match to review) whatever the
    /// date under the default policy, or that the policy does not name.
    static let seriousCategories: Set<String> = [
        "homicide", "sexual_offense", "child_abuse", "trafficking", "robbery", "kidnapping", "gambling",
    ]
}
