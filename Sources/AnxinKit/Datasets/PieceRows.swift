/// The rows of a piece that ran past its stretch of the array `Dataset.read` makes, kept in
/// memory of their own until they are moved, not copied, into the array made again (a copy of
/// a row would retain all its text).
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
        if count == capacity {
            let bigger = UnsafeMutablePointer<Row>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: row)
        count += 1
    }

    /// Moves the rows to `target`, which must have room for them; returns how many there were,
    /// and is left empty.
    func move(to target: UnsafeMutablePointer<Row>) -> Int {
        let moved = count
        target.moveInitialize(from: base, count: moved)
        count = 0
        return moved
    }
}
