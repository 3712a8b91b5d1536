import Foundation

/// Work split over the machine's cores: each part computed on its own thread, the results
/// returned in part order, so the outcome does not depend on which thread finished first.
public enum Parallel {
    /// Cores this process may use.
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `body(0) ... body(parts - 1)`, run concurrently; returns their results in order.
    public static func map<T: Sendable>(parts: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard parts > 1 else { return parts == 1 ? [body(0)] : [] }
        let slots = Slots<T>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { i in slots.store(body(i), at: i) }
        return slots.collect()
    }

    /// An array of `count` elements made in pieces at the same time: `body(i, out)` must set
    /// every index of `ranges[i]` through `out` (the ranges cover `0..<count` without overlap),
    /// and returns whatever else the piece found. No piece's elements are copied into the array
    /// afterwards: they are made in place.
    public static func build<T, Found: Sendable>(count: Int, ranges: [Range<Int>],
                                                 _ body: @Sendable (Int, Output<T>) -> Found) -> ([T], [Found]) {
        let found = Slots<Found>(count: ranges.count)
        func run(_ out: Output<T>) {
            DispatchQueue.concurrentPerform(iterations: ranges.count) { found.store(body($0, out), at: $0) }
        }
        guard count > 0 else {
            // Empty pieces set nothing, but still say what they found.
            let nowhere = UnsafeMutablePointer<T>.allocate(capacity: 1)
            defer { nowhere.deallocate() }
            run(Output(base: nowhere))
            return ([], found.collect())
        }
        let elements = Array<T>(unsafeUninitializedCapacity: count) { buffer, initialized in
            run(Output(base: buffer.baseAddress!))
            initialized = count
        }
        return (elements, found.collect())
    }

    /// Where `build` puts elements: each index is set exactly once, by one thread.
    public final class Output<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T>
        fileprivate init(base: UnsafeMutablePointer<T>) { self.base = base }

        /// Sets the element at `index`.
        public func set(_ index: Int, _ value: consuming T) { (base + index).initialize(to: value) }

        /// Changes the element at `index`, which was set.
        public func change<R>(_ index: Int, _ body: (inout T) -> R) -> R { body(&(base + index).pointee) }
    }

    /// Where pieces take elements from, on several threads, out of an array whose storage they
    /// were lent: each index is taken by one thread. What is taken is moved out, not copied (a
    /// copy retains all its text, and the release of the original touches it again), and an
    /// empty value, with no text to release, is left in its place.
    public struct Source<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T>?

        /// The elements of `buffer`, valid while the buffer is lent.
        public init(_ buffer: UnsafeMutableBufferPointer<T>) { base = buffer.baseAddress }

        /// The element at `index`, moved out; `empty` is left in its place.
        public func take(_ index: Int, leaving empty: T) -> T {
            var taken = empty
            swap(&taken, &base![index])
            return taken
        }

        /// The element at `index`, to take parts of (each swapped with an empty value).
        public func change<R>(_ index: Int, _ body: (inout T) -> R) -> R { body(&base![index]) }
    }

    /// `a()` and `b()`, run at the same time; returns both results.
    ///
    /// `b` runs on a thread of its own and `a` on this one, so work that either splits with
    /// `map` or `build` still gets every core: libdispatch runs a `concurrentPerform` nested in
    /// another one on a single thread.
    public static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let second = Slots<B>(count: 1)
        let first = withoutActuallyEscaping(b) { b -> A in
            let work = Unmanaged.passRetained(Work { second.store(b(), at: 0) })
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<Work>.fromOpaque(context!).takeUnretainedValue().run()
                return nil
            }, work.toOpaque()) == 0
            if !started { work.takeUnretainedValue().run() }  // no thread to be had: one after the other
            let first = a()
            #if canImport(Glibc)
            if started { pthread_join(thread, nil) }
            #else
            if started, let thread { pthread_join(thread, nil) }
            #endif
            // The thread has ended: `b` is no longer referenced once the work is released.
            work.release()
            return first
        }
        return (first, second.collect()[0])
    }

    /// A closure handed to a thread.
    private final class Work: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// How work is cut: into at most `parts` pieces of at least `minimum` elements each.
    public struct Plan: Sendable {
        public var parts: Int
        public var minimum: Int

        /// A plan with both numbers given.
        public init(parts: Int, minimum: Int) {
            self.parts = parts
            self.minimum = minimum
        }

        /// One piece per core, none smaller than 50,000 elements (smaller work is not worth a thread).
        public static let standard = Plan(parts: Parallel.cores, minimum: 50_000)
    }

    /// `range` cut into contiguous pieces as `plan` says.
    public static func pieces(of range: Range<Int>, _ plan: Plan = .standard) -> [Range<Int>] {
        let count = max(1, min(plan.parts, range.count / max(1, plan.minimum)))
        let size = (range.count + count - 1) / max(1, count)
        return stride(from: range.lowerBound, to: range.upperBound, by: max(1, size)).map {
            $0..<min($0 + size, range.upperBound)
        }
    }

    /// Result slots that each thread fills at its own index only.
    private final class Slots<T>: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<T?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }

        func store(_ value: T, at i: Int) { buffer[i] = value }

        func collect() -> [T] { buffer.map { $0! } }
    }
}
