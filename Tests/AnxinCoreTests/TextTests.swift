import Testing
@testable import AnxinCore

@Suite("Text normalization")
struct TextTests {
    @Test("trimming drops leading and trailing ASCII, ideographic and no-break spaces and BOMs", arguments: [
        ("  张三  ", "张三"), ("\u{3000}张三\u{3000}", "张三"), ("\t A0001\r\n", "A0001"),
        ("\u{A0}x\u{FEFF}", "x"), ("\u{FEFF}application_id", "application_id"),
        ("张 三", "张 三"), (" a\u{3000}b ", "a\u{3000}b"), ("abc", "abc"), ("   ", ""), ("\u{3000}", ""), ("", ""),
    ])
    func trim(_ text: String, _ expected: String) {
        #expect(Text.trim(text) == expected)
    }

    @Test("full-width ASCII and the ideographic space fold to ASCII; other text is kept", arguments: [
        ("ＡＢＣｘｙｚ０１２９", "ABCxyz0129"), ("（１）－；，！～", "(1)-;,!~"), ("a\u{3000}b", "a b"),
        ("张三", "张三"), ("plain ascii", "plain ascii"), ("、。·", "、。·"), ("３３０３０２", "330302"),
    ])
    func foldFullWidth(_ text: String, _ expected: String) {
        #expect(Text.foldFullWidth(text) == expected)
    }

    @Test("codes are trimmed, full-width folded and lower case", arguments: [
        ("cleaning", "cleaning"), ("  ＣＬＥＡＮＩＮＧ ", "cleaning"), ("Nursing", "nursing"),
        ("３３０３０２", "330302"), ("\u{3000}330302\u{3000}", "330302"), ("Ｗｚｊｚ０００１", "wzjz0001"),
        ("Infant_Care", "infant_care"), ("刑事", "刑事"),
    ])
    func code(_ text: String, _ expected: String) {
        #expect(Text.code(text) == expected)
    }

    @Test("institution ids are trimmed, full-width folded and upper case", arguments: [
        ("WZJZ0001", "WZJZ0001"), ("wzjz0001", "WZJZ0001"), ("ｗｚｊｚ０００１", "WZJZ0001"),
        (" ＷＺＪＺ０００１\u{3000}", "WZJZ0001"), ("Wzjz0001", "WZJZ0001"),
    ])
    func institutionID(_ text: String, _ expected: String) {
        #expect(FieldCursor.institutionID(text) == expected)
    }

    @Test("name keys ignore spaces, middle dots, width and Latin case", arguments: [
        ["张三", "张 三", " 张三 ", "张\u{3000}三", "\u{3000}张三\u{3000}"],
        ["阿依古丽·买买提", "阿依古丽买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽･买买提", "阿依古丽 · 买买提"],
        ["John Smith", "JOHN SMITH", "john smith", "ｊｏｈｎ\u{3000}ｓｍｉｔｈ", "ＪＯＨＮ ＳＭＩＴＨ", "JohnSmith"],
        ["Anna-Maria", "ANNA-MARIA", "ａｎｎａ－ｍａｒｉａ"],
    ])
    func nameKeysAgree(_ spellings: [String]) {
        let keys = Set(spellings.map(Text.nameKey))
        #expect(keys.count == 1, "\(keys)")
    }

    @Test("name keys of known names")
    func nameKeyValues() {
        #expect(Text.nameKey("张 三") == "张三")
        #expect(Text.nameKey("ＪＯＨＮ　Smith") == "johnsmith")
        #expect(Text.nameKey("阿依古丽·买买提") == "阿依古丽买买提")
    }

    @Test("different names keep different keys")
    func nameKeysDiffer() {
        #expect(Text.nameKey("张三") != Text.nameKey("张山"))
        #expect(Text.nameKey("John Smith") != Text.nameKey("Jon Smith"))
    }

    @Test("name keys case-fold accented Latin letters too")
    func nameKeyFoldsAccentedLatin() {
        #expect(Text.nameKey("JOSÉ GARCÍA") == Text.nameKey("José García"))
    }

    @Test("spaces and middle dots are recognised")
    func characterClasses() {
        for s: Unicode.Scalar in [" ", "\t", "\n", "\r", "\u{3000}", "\u{A0}", "\u{FEFF}"] {
            #expect(Text.isSpace(s))
        }
        #expect(!Text.isSpace("a"))
        #expect(!Text.isSpace("·"))
        for s: Unicode.Scalar in ["\u{00B7}", "\u{2022}", "\u{30FB}", "\u{FF65}"] {
            #expect(Text.isMiddleDot(s))
        }
        #expect(!Text.isMiddleDot("."))
        #expect(!Text.isMiddleDot("-"))
    }

    @Test("lists of codes split on ; as String.split does, empty parts dropped",
          arguments: ["", "a", "cleaning;childcare", ";a;;b;", ";;", "育婴;cleaning", "x;"])
    func listsOfCodes(_ text: String) {
        #expect(Text.list(text) == text.split(separator: ";").map(String.init))
    }
}
