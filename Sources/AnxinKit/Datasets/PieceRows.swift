/// Rows kept in memory of their own, to be moved, not copied, into an array: the rows of a
/// piece that ran past its stretch of the array `Dataset.read` makes, and then all of its rows
/// (a copy of a row would retain all its text).
///
/// Filled on the thread that reads its piece and handed over once, to the thread that joins
/// the pieces, hence `@unchecked Sendable`.
final class PieceRows<Row>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Row>
    private var capacity: Int
    /// Rows held.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` rows.
    init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Appends `row` (moved in).
    func append(_ row: consuming Row) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: row)
        count += 1
    }

    /// Appends the `count` rows at `source`, moved in (they are left uninitialized there).
    func append(movingFrom source: UnsafeMutablePointer<Row>, count: Int) {
        reserve(self.count + count)
        (base + self.count).moveInitialize(from: source, count: count)
        self.count += count
    }

    /// Appends the rows of `other`, moved in; `other` is left empty.
    func append(contentsOf other: PieceRows<Row>) {
        append(movingFrom: other.base, count: other.count)
        other.count = 0
    }

    /// Makes room for `rows` rows in all, if there is less.
    private func reserve(_ rows: Int) {
        if rows > capacity { grow(to: rows) }
    }

    private func grow(to rows: Int) {
        let bigger = UnsafeMutablePointer<Row>.allocate(capacity: rows)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = rows
    }

    /// The rows of `pieces`, in order, in one array; the pieces are left empty.
    static func joined(_ pieces: [PieceRows<Row>]) -> [Row] {
        let total = pieces.reduce(0) { $0 + $1.count }
        return [Row](unsafeUninitializedCapacity: total) { buffer, initialized in
            for piece in pieces where piece.count > 0 {
                (buffer.baseAddress! + initialized).moveInitialize(from: piece.base, count: piece.count)
                initialized += piece.count
                piece.count = 0
            }
        }
    }
}
