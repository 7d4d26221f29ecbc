internal import Glibc

/// Exchanges with the service run one after the other on a thread of their own, in the order they
/// were submitted, while the pusher reads, marks and builds the next ones and applies the answers
/// that came back (docs/sync.md, "A backlog, pipelined"). Without it, every millisecond the client
/// spends on its store and its JSON between two requests is a millisecond the connection is idle.
///
/// The thread only exchanges (serialises, sends, parses); the store is touched by the pusher's
/// thread alone. The connection still carries one request at a time, in submission order.
///
/// A failed exchange halts the pipeline: nothing submitted after it starts until the pusher has
/// applied that failure and resumes (an item refused, a Bundle the service did not take), or stops
/// (network, 5xx, a Retry-After). Nothing starts either once `mayStart` says no (the call was
/// cancelled); such units come back without an outcome, unsent.
final class ExchangePipeline<Unit: Sendable, Outcome: Sendable>: @unchecked Sendable {
    typealias Work = @Sendable () -> Outcome

    private struct Entry {
        let unit: Unit
        let work: Work
        var outcome: Outcome?
    }

    private let failed: @Sendable (Outcome) -> Bool
    private let mayStart: @Sendable () -> Bool
    /// The pusher, waiting for answers, is woken when this many are in (or when nothing is left
    /// to send, or on a halt), not at each one: a wake-up is a system call on the thread whose
    /// next request is waiting, and the pusher then applies a few answers at once.
    private let wakeAfter: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    // Under `mutex`. `entries` are the units submitted and not yet taken back by `next`, oldest
    // first; those before `started` have run or are running.
    private var entries: [Entry] = []
    private var started = 0
    private var halted = false
    private var closing = false
    private var thread: pthread_t?
    private var threadFailed = false

    /// `failed`: whether an outcome halts the pipeline. `mayStart`: asked before each exchange.
    init(
        wakeAfter: Int = 1, failed: @escaping @Sendable (Outcome) -> Bool,
        mayStart: @escaping @Sendable () -> Bool
    ) {
        self.wakeAfter = max(1, wakeAfter)
        self.failed = failed
        self.mayStart = mayStart
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Units submitted and not yet taken back by `next`.
    var waiting: Int { locked { entries.count } }

    /// Queues an exchange after the others. When the system gives no thread, it runs now, on the
    /// caller's (still in order, still halting).
    func submit(_ unit: Unit, _ work: @escaping Work) {
        let inline: Bool = locked {
            entries.append(Entry(unit: unit, work: work, outcome: nil))
            if thread == nil, !threadFailed { startThread() }
            if threadFailed { return true }
            pthread_cond_broadcast(changed)
            return false
        }
        if inline { runInline() }
    }

    /// The oldest unit and its outcome, once it has run; nil as the outcome when the pipeline
    /// halted before it could start (never sent). Nil when nothing is waiting.
    func next() -> (unit: Unit, outcome: Outcome?)? {
        locked {
            // The oldest is running, or will start (not halted): wait for its outcome.
            while let first = entries.first, first.outcome == nil, !(started == 0 && halted) {
                pthread_cond_wait(changed, mutex)
            }
            guard !entries.isEmpty else { return nil }
            let first = entries.removeFirst()
            if started > 0 { started -= 1 }
            return (first.unit, first.outcome)
        }
    }

    /// Nothing more starts (the one running, if any, ends normally).
    func halt() {
        locked { halted = true }
    }

    /// After a failure was applied and the round goes on: the next units start.
    func resume() {
        let inline: Bool = locked {
            halted = false
            pthread_cond_broadcast(changed)
            return threadFailed
        }
        if inline { runInline() }
    }

    /// Ends the thread, after the exchange running, if any; units not taken back are dropped
    /// (their items were marked, not sent: the next round sends them).
    func finish() {
        let joining: pthread_t? = locked {
            halted = true
            closing = true
            pthread_cond_broadcast(changed)
            defer { thread = nil }
            return thread
        }
        if let joining { pthread_join(joining, nil) }
    }

    // MARK: - The thread

    private func startThread() {
        if let started = PipelineThread.start({ [self] in serve() }) {
            thread = started
        } else {
            threadFailed = true
        }
    }

    private func serve() {
        pthread_mutex_lock(mutex)
        while true {
            while !closing, halted || started >= entries.count { pthread_cond_wait(changed, mutex) }
            if closing { break }
            runOne()
        }
        pthread_mutex_unlock(mutex)
    }

    /// Runs the first unit not started; called with `mutex` held, returns with it held.
    private func runOne() {
        let work = entries[started].work
        started += 1
        pthread_mutex_unlock(mutex)
        let outcome: Outcome? = mayStart() ? work() : nil
        pthread_mutex_lock(mutex)
        // Meanwhile `next` may have taken back units that ran before this one (each decrements
        // `started`), never this one or any after it: this one is the last started.
        let index = started - 1
        if let outcome {
            entries[index].outcome = outcome
            if failed(outcome) { halted = true }
        } else {
            started = index
            halted = true
        }
        if halted || started >= entries.count || entries[..<started].count(where: { $0.outcome != nil }) >= wakeAfter {
            pthread_cond_broadcast(changed)
        }
    }

    private func runInline() {
        pthread_mutex_lock(mutex)
        while !halted, started < entries.count { runOne() }
        pthread_mutex_unlock(mutex)
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

/// A thread running one closure. Not generic: Swift 6.3's region analysis crashes on
/// `pthread_create` inside a generic class.
private final class PipelineThread: Sendable {
    let body: @Sendable () -> Void

    private init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    /// The thread, or nil when the system gives none.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(PipelineThread(body)).toOpaque()
        var created = pthread_t()
        let rc = pthread_create(
            &created, nil,
            { argument in
                guard let argument else { return nil }
                Unmanaged<PipelineThread>.fromOpaque(argument).takeRetainedValue().body()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<PipelineThread>.fromOpaque(context).release()
            return nil
        }
        return created
    }
}
