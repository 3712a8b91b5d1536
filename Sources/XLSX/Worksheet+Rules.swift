import CLibXlsxWriter

extension Worksheet {
    /// When a conditional format applies to a cell.
    public enum ConditionalRule: Hashable, Sendable {
        /// The cell's value is exactly this text.
        case equals(String)
        /// The cell's text contains this text, ignoring case (Excel's SEARCH); no double quotes.
        case contains(String)
        /// The cell's text begins with this text, ignoring case; no double quotes.
        case beginsWith(String)
    }

    /// Adds filter buttons to the header row of `range` (the first row is the header); in
    /// constant_memory mode, before writing below the range's last row.
    public func setAutofilter(_ range: CellRange) throws(XLSXError) {
        let operation = "adding an autofilter to \(place(range))"
        try range.validate(operation)
        // libxlsxwriter checks the last row against the row constant_memory mode has reached.
        if workbook.options.constantMemory && range.lastRow < currentRow {
            throw XLSXError.invalidArgument(
                operation: operation,
                reason: "in constant_memory mode the autofilter must be set before writing below its last row "
                    + "(row \(range.lastRow)); row \(currentRow) is already current")
        }
        try workbook.perform(operation) { _ throws(XLSXError) in
            try check(worksheet_autofilter(pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                                           lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn)), operation)
        }
    }

    /// Restricts the cells of `range` to a drop-down list of `values`.
    ///
    /// Values must be printable ASCII without commas or double quotes, 255 characters in all
    /// with the separating commas: libxlsxwriter 1.1.4 overflows a buffer on non-ASCII list
    /// values, and a comma or quote would split or break the list Excel reads.
    public func addDropDown(_ values: [String], to range: CellRange) throws(XLSXError) {
        let operation = "adding a drop-down list to \(place(range))"
        try range.validate(operation)
        guard !values.isEmpty else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the list has no values")
        }
        for value in values {
            func refuse(_ reason: String) -> XLSXError {
                .invalidArgument(operation: operation, reason: "the value \"\(value)\" \(reason)")
            }
            guard !value.isEmpty else { throw refuse("is empty") }
            guard value.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) else {
                throw refuse("is not printable ASCII (libxlsxwriter 1.1.4 overflows a buffer on other text)")
            }
            guard !value.contains(","), !value.contains("\"") else {
                throw refuse("contains a comma or a double quote, which would split or break the list")
            }
        }
        let length = values.reduce(values.count - 1) { $0 + $1.utf8.count }
        guard length <= 255 else {
            throw XLSXError.invalidArgument(
                operation: operation, reason: "the list is \(length) characters with its commas; Excel allows 255")
        }
        try workbook.perform(operation) { _ throws(XLSXError) in
            try XLSXText.withCStrings(values.map { Optional($0) } + [nil]) { strings throws(XLSXError) in
                var list = strings  // NULL-terminated, as libxlsxwriter expects
                let code = list.withUnsafeMutableBufferPointer { list in
                    var validation = lxw_data_validation()
                    validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
                    validation.value_list = list.baseAddress
                    return worksheet_data_validation_range(
                        pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                        lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn), &validation)
                }
                try check(code, operation)
            }
        }
    }

    /// Restricts the cells of `range` to a drop-down of the values in the cells `source` of
    /// `sheet` (this sheet or another of the workbook, which may be hidden from view later).
    ///
    /// The way to offer values that are not ASCII, such as 红码/黄码/绿码: the list is a cell
    /// reference, so libxlsxwriter's overflow on non-ASCII list text is never reached.
    public func addDropDown(valuesIn source: CellRange, of sheet: Worksheet, to range: CellRange) throws(XLSXError) {
        let operation = "adding a drop-down list of \(sheet.place(source)) to \(place(range))"
        guard workbook.owns(sheet) else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the worksheet belongs to another workbook")
        }
        try range.validate(operation)
        try source.validate(operation)
        // Quoting every sheet name is always valid; an apostrophe inside is doubled.
        let quoted = "'" + sheet.name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        let formula = "=" + quoted + "!" + source.absolute
        try workbook.perform(operation) { _ throws(XLSXError) in
            let code = formula.withCString { formula in
                var validation = lxw_data_validation()
                validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
                validation.value_formula = UnsafeMutablePointer(mutating: formula)  // copied by the call
                return worksheet_data_validation_range(
                    pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                    lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn), &validation)
            }
            try check(code, operation)
        }
    }

    /// Applies `format` (fill, font colour, bold, border) to the cells of `range` that meet `rule`.
    public func addConditionalFormat(_ rule: ConditionalRule, to range: CellRange, format: Format) throws(XLSXError) {
        let operation = "adding a conditional format to \(place(range))"
        try range.validate(operation)
        let formatPointer = try resolve(format, operation)
        var conditional = lxw_conditional_format()
        let value: String
        switch rule {
        case .equals(let text):
            try checkRuleText(text, allowQuotes: true, operation)
            conditional.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            conditional.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_EQUAL_TO.rawValue)
            // A cell rule compares with a formula: text goes in quotes, its own quotes doubled.
            value = "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        case .contains(let text):
            try checkRuleText(text, allowQuotes: false, operation)
            conditional.type = UInt8(LXW_CONDITIONAL_TYPE_TEXT.rawValue)
            conditional.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING.rawValue)
            value = text
        case .beginsWith(let text):
            try checkRuleText(text, allowQuotes: false, operation)
            conditional.type = UInt8(LXW_CONDITIONAL_TYPE_TEXT.rawValue)
            conditional.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_TEXT_BEGINS_WITH.rawValue)
            value = text
        }
        // The format gets its place in the workbook's table of conditional styles: shared.
        try workbook.shared.run { () throws(XLSXError) in try workbook.perform(operation) { _ throws(XLSXError) in
            let code = value.withCString { value in
                conditional.value_string = UnsafeMutablePointer(mutating: value)  // copied by the call
                conditional.format = formatPointer
                return worksheet_conditional_format_range(
                    pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                    lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn), &conditional)
            }
            try check(code, operation)
        } }
    }

    /// Throws unless `text` can go into a rule's formula: libxlsxwriter 1.1.4 puts text rules
    /// into `SEARCH("…",A1)` without doubling quotes, so a quote there breaks the file.
    private func checkRuleText(_ text: String, allowQuotes: Bool, _ operation: String) throws(XLSXError) {
        if !allowQuotes {
            guard !text.isEmpty else {
                throw XLSXError.invalidArgument(operation: operation, reason: "the rule's text is empty")
            }
            guard !text.contains("\"") else {
                throw XLSXError.invalidArgument(operation: operation, reason: "the rule's text contains a double quote")
            }
        }
        // Excel refuses text constants longer than 255 characters in a formula.
        guard text.utf16.count <= 255 else {
            throw XLSXError.invalidArgument(operation: operation, reason: "the rule's text is longer than 255 characters")
        }
        if let problem = XLSXText.problem(in: text) {
            throw XLSXError.invalidArgument(operation: operation, reason: "the rule's text: \(problem)")
        }
    }
}
