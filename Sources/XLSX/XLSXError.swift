import CLibXlsxWriter

/// Everything the XLSX writer refuses, each with a message a user can act on.
public enum XLSXError: Error, Equatable, CustomStringConvertible {
    /// libxlsxwriter returned an error: `message` is its own text, `operation` what was being done.
    case library(code: Int, message: String, operation: String)
    /// A worksheet name Excel would refuse (checked here: libxlsxwriter 1.1.4 overflows on some).
    case invalidSheetName(name: String, reason: String)
    /// An argument outside what Excel, or this wrapper, accepts.
    case invalidArgument(operation: String, reason: String)
    /// The workbook was already closed, successfully or not; nothing more can be done with it.
    case workbookClosed(operation: String)
    /// The output file could not be created, written or moved into place.
    case cannotWrite(path: String, reason: String)

    /// The message, naming the sheet and cell where there is one.
    public var description: String {
        switch self {
        case let .library(code, message, operation):
            return "\(operation): \(message) (libxlsxwriter error \(code))"
        case let .invalidSheetName(name, reason):
            return "invalid worksheet name \"\(name)\": \(reason)"
        case let .invalidArgument(operation, reason):
            return "\(operation): \(reason)"
        case let .workbookClosed(operation):
            return "\(operation): the workbook is already closed"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// Throws `XLSXError.library` with libxlsxwriter's own text unless `code` is `LXW_NO_ERROR`.
///
/// Every `lxw_error` the module receives goes through here, so no return code is dropped.
func check(_ code: lxw_error, _ operation: @autoclosure () -> String) throws(XLSXError) {
    guard code != LXW_NO_ERROR else { return }
    let message = lxw_strerror(code).map { String(cString: $0) } ?? "unknown error"
    throw XLSXError.library(code: Int(code.rawValue), message: message, operation: operation())
}

extension XLSXError {
    /// The error for a libxlsxwriter constructor that returned NULL, which it does only when
    /// memory runs out; it carries the library's text for that case.
    static func allocationFailed(_ operation: String) -> XLSXError {
        let code = LXW_ERROR_MEMORY_MALLOC_FAILED
        let message = lxw_strerror(code).map { String(cString: $0) } ?? "out of memory"
        return .library(code: Int(code.rawValue), message: message, operation: operation)
    }
}
