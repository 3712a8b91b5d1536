import CLibXlsxWriter
import CZipLevel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An .xlsx file being written; owns libxlsxwriter's workbook and everything in it.
///
/// Nothing appears at `path` until `close()` succeeds: libxlsxwriter writes under a temporary
/// name beside it (created at once, so a bad directory fails early, with `mode` permissions),
/// which is renamed into place. A workbook released without `close()` writes nothing and frees
/// its C memory and temporary files. After `close()`, successful or not, every call throws
/// `XLSXError.workbookClosed`.
///
/// Threads: in constant_memory mode, different worksheets may be written at the same time, each
/// by one thread at a time, with the formats given explicitly (a date written without one adds
/// a format as it goes); without it, text goes to a table all sheets share, unguarded. What the
/// sheets share is guarded here: adding worksheets, formats and charts, and conditional formats
/// (which register their format with the workbook), are serialised, and a format gets its place
/// in the workbook's style table when it is added, so that writing a cell changes nothing
/// shared. `close()` must wait until every other thread is done. Formats are numbered in the
/// order they are added: a workbook whose bytes must not depend on timing adds them on one
/// thread, or before the others start.
public final class Workbook {
    /// How the workbook is written.
    public struct Options: Sendable {
        /// Keep one row in memory per sheet: rows must then be written strictly in order, and
        /// `setRow`/`merge` work on the current row only (libxlsxwriter's `constant_memory`).
        public var constantMemory: Bool
        /// Where libxlsxwriter keeps its temporary files; nil for the system default.
        public var temporaryDirectory: String?
        /// Permissions of the written file (owner-only by default: the reports hold personal data).
        public var mode: mode_t
        /// How hard the file's parts are compressed.
        public var compression: Compression
        /// Threads that compress the parts at `close()`. Above 1, a part is deflated in blocks
        /// of `compressionBlockBytes` side by side (as pigz does): a big workbook is compressed
        /// that many times faster on as many free cores (libxlsxwriter's own work at the close
        /// stays on one), its content the same, its bytes the same for any count above 1. On
        /// Linux (see the CZipLevel target); elsewhere the library compresses on one thread.
        public var compressionThreads: Int
        /// The size of those blocks (at least 1 KiB): 1 MiB unless a test wants many.
        public var compressionBlockBytes: Int

        /// Options; the defaults keep everything in memory, compress as libxlsxwriter does and
        /// write an owner-only file.
        public init(constantMemory: Bool = false, temporaryDirectory: String? = nil, mode: mode_t = 0o600,
                    compression: Compression = .standard, compressionThreads: Int = 1,
                    compressionBlockBytes: Int = 1 << 20) {
            self.constantMemory = constantMemory
            self.temporaryDirectory = temporaryDirectory
            self.mode = mode
            self.compression = compression
            self.compressionThreads = compressionThreads
            self.compressionBlockBytes = compressionBlockBytes
        }
    }

    /// How hard the parts of the file (a zip archive) are compressed at `close()`, where
    /// libxlsxwriter spends most of a big workbook's time: the content is the same either way.
    public enum Compression: Sendable {
        /// zlib's default level, libxlsxwriter's own choice.
        case standard
        /// zlib's fastest level: on a big workbook's sheets about three times faster, and
        /// the file about a quarter larger. On Linux, where the library's zip calls can be
        /// reached (see the CZipLevel target); elsewhere it is `standard`.
        case fast

        var zlibLevel: Int32 {
            switch self {
            case .standard: -1
            case .fast: 1
            }
        }
    }

    /// The document properties Excel shows under File › Info.
    public struct Properties: Sendable {
        /// The title.
        public var title: String?
        /// The subject.
        public var subject: String?
        /// The author (also written as "last modified by").
        public var author: String?
        /// The company.
        public var company: String?
        /// The creation time, written in UTC; fix it for byte-identical output. When nil,
        /// libxlsxwriter uses the time of `close()`.
        public var created: Date?

        /// Properties; anything left nil is not written.
        public init(title: String? = nil, subject: String? = nil, author: String? = nil,
                    company: String? = nil, created: Date? = nil) {
            self.title = title
            self.subject = subject
            self.author = author
            self.company = company
            self.created = created
        }
    }

    /// Where the file appears on a successful `close()`.
    public let path: String
    /// The options the workbook was created with.
    public let options: Options
    /// How many cells had text longer than Excel's 32,767 characters, cut with a visible marker.
    public var truncatedCellCount: Int { shared.run { truncations } }
    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }
    /// The names of the worksheets, in order.
    public var worksheetNames: [String] { shared.run { sheets.map(\.name) } }

    private var handle: UnsafeMutablePointer<lxw_workbook>?
    /// The token the buffers of its temporary files go under; 0 for none.
    private(set) var temporaryFiles: UInt = 0
    /// Bytes of sheets' rows the close read from the rows' temporary files instead of copying them.
    private(set) var rowBytesNotCopied: UInt64 = 0
    private let temporaryPath: String
    private var sheets: [Worksheet] = []
    private var formats: [Format.Style: Format] = [:]
    /// Guards what the worksheets share: the workbook's lists of sheets, formats and charts,
    /// libxlsxwriter's tables of styles, and the truncation count.
    let shared = WorkbookLock()
    /// Cells cut to Excel's limit; guarded by `shared`.
    private var truncations = 0
    /// Marks the formats, sheets and charts made here, so one from another workbook is refused.
    let token = UInt64.random(in: 1...UInt64.max)
    /// The C locale, in force during every libxlsxwriter call: it prints numbers with the
    /// thread's `printf` locale, and a comma decimal point would corrupt the file.
    private let cLocale: locale_t?

    /// Starts a workbook to be written at `path`.
    public init(path: String, options: Options = Options()) throws(XLSXError) {
        self.path = path
        self.options = options
        // libxlsxwriter would only notice a bad temporary directory at the first sheet or at close.
        if let directory = options.temporaryDirectory, access(directory, W_OK | X_OK) != 0 {
            throw XLSXError.cannotWrite(path: directory, reason: String(cString: strerror(errno)))
        }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        temporaryPath = path + ".tmp-\(getpid())-\(suffix)"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode)
        guard fd >= 0 else {
            throw XLSXError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        fchmod(fd, options.mode)  // the umask must not widen or narrow what was asked for
        closeDescriptor(fd)  // libxlsxwriter reopens it by name, keeping these permissions

        var lxwOptions = lxw_workbook_options()
        lxwOptions.constant_memory = options.constantMemory ? 1 : 0
        // workbook_new_opt copies the path and tmpdir strings.
        let created = try XLSXText.withCStrings([temporaryPath, options.temporaryDirectory]) { strings in
            lxwOptions.tmpdir = strings[1]
            return workbook_new_opt(strings[0], &lxwOptions)
        }
        guard let created else {
            unlink(temporaryPath)
            throw XLSXError.cannotWrite(path: path, reason: "libxlsxwriter could not create the workbook")
        }
        handle = created
        // Its temporary files are written behind and its sheets' rows not copied at the close
        // (see CZipLevel's tmpfile_buffer.h): a city's workbook has half a gigabyte of rows.
        temporaryFiles = anxin_tmpfile_register(created.pointee.options.tmpdir)
        cLocale = newlocale(1 << LC_NUMERIC, "C", nil)
    }

    deinit {
        discard()
        if let cLocale { freelocale(cLocale) }
    }

    /// Drops an unclosed workbook: nothing is written, its temporary files go now. The workbook
    /// is closed afterwards, as after `close()`. No other thread may be writing to it.
    public func discard() {
        if let handle {
            // lxw_workbook_free releases the C memory but, in 1.1.4, not the constant_memory
            // temporary file each worksheet holds open.
            for sheet in sheets {
                if let file = sheet.pointer.pointee.optimize_tmpfile {
                    fclose(file)
                    sheet.pointer.pointee.optimize_tmpfile = nil
                    sheet.pointer.pointee.file = nil
                }
            }
            lxw_workbook_free(handle)
            unlink(temporaryPath)
            self.handle = nil
        }
        _ = anxin_tmpfile_release(temporaryFiles)
        temporaryFiles = 0
    }

    /// Sets the title, author, company and creation time.
    public func setProperties(_ properties: Properties) throws(XLSXError) {
        let operation = "setting the document properties"
        var created: time_t = 0
        if let date = properties.created {
            // 0 means "now" to libxlsxwriter, and years past 9999 are not valid dates.
            let seconds = date.timeIntervalSince1970.rounded(.down)
            guard seconds >= 1, seconds < 253_402_300_800 else {
                throw XLSXError.invalidArgument(
                    operation: operation, reason: "the creation time must lie after 1970-01-01T00:00:00Z and before year 10000")
            }
            created = time_t(seconds)
        }
        let texts = [properties.title, properties.subject, properties.author, properties.company]
        try perform(operation) { handle throws(XLSXError) in
            try XLSXText.withCStrings(texts.map { $0.map(XLSXText.plain) }) { strings throws(XLSXError) in
                var lxwProperties = lxw_doc_properties()
                lxwProperties.title = strings[0]
                lxwProperties.subject = strings[1]
                lxwProperties.author = strings[2]
                lxwProperties.company = strings[3]
                lxwProperties.created = created
                try check(workbook_set_properties(handle, &lxwProperties), operation)
            }
        }
    }

    /// Adds a worksheet named `name`, checked against Excel's rules first.
    public func addWorksheet(named name: String) throws(XLSXError) -> Worksheet {
        try shared.run { () throws(XLSXError) in try addWorksheetAlone(named: name) }
    }

    private func addWorksheetAlone(named name: String) throws(XLSXError) -> Worksheet {
        let operation = "adding the worksheet \"\(name)\""
        guard !isClosed else { throw XLSXError.workbookClosed(operation: operation) }
        try Worksheet.validate(name: name)
        // Excel compares sheet names ignoring case; libxlsxwriter does so for ASCII only.
        let folded = name.lowercased()
        if let other = sheets.first(where: { $0.name.lowercased() == folded }) {
            throw XLSXError.invalidSheetName(
                name: name, reason: "the workbook already has a worksheet named \"\(other.name)\" (Excel ignores case)")
        }
        let pointer = try perform(operation) { handle in
            name.withCString { workbook_add_worksheet(handle, $0) }
        }
        guard let pointer else {
            // The name passed our stricter rules, so what failed is memory or, in constant_memory
            // mode, the sheet's temporary file.
            throw XLSXError.cannotWrite(
                path: options.temporaryDirectory ?? "the system temporary directory",
                reason: "libxlsxwriter could not create the worksheet \"\(name)\" (memory or temporary file)")
        }
        let sheet = Worksheet(name: name, workbook: self, pointer: pointer)
        sheets.append(sheet)
        return sheet
    }

    /// The format for `style`, registered once per workbook however often it is asked for.
    public func addFormat(_ style: Format.Style) throws(XLSXError) -> Format {
        try shared.run { () throws(XLSXError) in try addFormatAlone(style) }
    }

    private func addFormatAlone(_ style: Format.Style) throws(XLSXError) -> Format {
        let operation = "adding a format"
        guard !isClosed else { throw XLSXError.workbookClosed(operation: operation) }
        if let existing = formats[style] { return existing }
        try Format.validate(style)
        let format = try perform(operation) { handle throws(XLSXError) in
            guard let pointer = workbook_add_format(handle) else { throw XLSXError.allocationFailed(operation) }
            Format.apply(style, to: pointer)
            // Its place in the style table now, not at the first cell written with it (which
            // would change the workbook's table from whichever thread writes that cell). A
            // format that looks like one already there shares its place; libxlsxwriter would
            // look that up again at every use, so the place is kept on the format itself.
            let index = lxw_format_get_xf_index(pointer)
            if pointer.pointee.xf_index == LXW_PROPERTY_UNSET { pointer.pointee.xf_index = index }
            return Format(style: style, pointer: pointer, owner: token)
        }
        formats[style] = format
        return format
    }

    /// Adds a chart of `kind`, to be given series and inserted with `Worksheet.insertChart`.
    public func addChart(_ kind: Chart.Kind) throws(XLSXError) -> Chart {
        let operation = "adding a \(kind) chart"
        let pointer = try shared.run { () throws(XLSXError) in try perform(operation) { handle throws(XLSXError) in
            guard let pointer = workbook_add_chart(handle, kind.lxw) else { throw XLSXError.allocationFailed(operation) }
            return pointer
        } }
        return Chart(kind: kind, workbook: self, pointer: pointer)
    }

    /// Writes the file and frees the C workbook. Throws if that fails (nothing is left at
    /// `path` then) or if the workbook was already closed.
    public func close() throws(XLSXError) {
        let operation = "writing \(path)"
        // workbook_close frees the C workbook whatever it returns: this is the only call. It
        // writes the zip archive on this thread, at this thread's level and threads.
        let previousLevel = anxin_zip_set_level(options.compression.zlibLevel)
        let previousBlock = anxin_zip_block_bytes()
        let previousThreads = anxin_zip_set_threads(Int32(clamping: options.compressionThreads),
                                                    Int32(clamping: options.compressionBlockBytes))
        defer {
            anxin_zip_set_level(previousLevel)
            anxin_zip_set_threads(previousThreads, previousBlock)
        }
        anxin_tmpfile_closing(temporaryFiles)
        let code = try perform(operation) { handle in workbook_close(handle) }
        // The C workbook is freed: whatever temporary file it left open can be closed now. A
        // temporary file that failed (a full disk) may have left rows out of a sheet without
        // libxlsxwriter noticing: the workbook is not whole then.
        rowBytesNotCopied = UInt64(anxin_tmpfile_bytes_not_copied(temporaryFiles))
        let streamError = anxin_tmpfile_release(temporaryFiles)
        temporaryFiles = 0
        handle = nil
        if code == LXW_NO_ERROR && streamError != 0 {
            unlink(temporaryPath)
            throw XLSXError.cannotWrite(path: path, reason: "a temporary file failed: \(String(cString: strerror(streamError)))")
        }
        guard code == LXW_NO_ERROR else {
            unlink(temporaryPath)
            try check(code, operation)
            return
        }
        let fd = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        let synced = fd >= 0 && fsync(fd) == 0
        if fd >= 0 { closeDescriptor(fd) }
        guard synced, rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw XLSXError.cannotWrite(path: path, reason: reason)
        }
    }

    // MARK: - For the worksheets, formats and charts

    /// Runs `body` on the open C workbook with the C numeric locale, or throws if it is closed.
    func perform<T>(
        _ operation: @autoclosure () -> String,
        _ body: (UnsafeMutablePointer<lxw_workbook>) throws(XLSXError) -> T
    ) throws(XLSXError) -> T {
        guard let handle else { throw XLSXError.workbookClosed(operation: operation()) }
        let previous = uselocale(cLocale)
        defer { uselocale(previous) }
        return try body(handle)
    }

    /// Counts a cell whose text was cut to Excel's limit.
    func noteTruncation() { shared.run { truncations += 1 } }

    /// Whether `sheet` belongs to this workbook.
    func owns(_ sheet: Worksheet) -> Bool { sheet.owner == token }
}

/// `close(2)`, which `Workbook.close()` hides inside the class.
private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}


/// A mutex for what a workbook's worksheets share (see `Workbook`).
final class WorkbookLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
