internal import Glibc

/// Exchanges with the service run on threads of their own, started in the order they were
/// submitted, while the pusher reads, marks and builds the next ones and applies the answers
/// that came back, oldest first (docs/sync.md, "A backlog, pipelined"). Without it, every
/// millisecond the client spends on its store and its JSON between two requests is a millisecond
/// the connection is idle.
///
/// Each thread is a **lane**: it owns one connection, which carries one request at a time. One
/// lane keeps the order of the requests on the wire too (Bundles: each is one transaction on the
/// service). More lanes (single requests to a service without batches) send several independent
/// creates at once, each on its own connection; a lane past the first starts only when units are
/// waiting for one, so a short backlog never opens a connection it does not need.
///
/// The threads only exchange (serialise, send, parse); the store is touched by the pusher's
/// thread alone.
///
/// A failed exchange halts the pipeline: nothing submitted after it starts until the pusher has
/// applied that failure and resumes (an item refused, a Bundle the service did not take), or stops
/// (network, 5xx, a Retry-After). The units already running on other lanes end normally and
/// come back with their outcome. Nothing starts either once `mayStart` says no (the call was
/// cancelled); such units come back without an outcome, unsent.
final class ExchangePipeline<Unit: Sendable, Outcome: Sendable>: @unchecked Sendable {
    /// An exchange, given the lane (0..<lanes) whose connection it must use.
    typealias Work = @Sendable (_ lane: Int) -> Outcome

    private enum Progress {
        case waiting, running, done(Outcome), notSent
    }

    private struct Entry {
        let unit: Unit
        let work: Work
        var progress: Progress = .waiting
    }

    private let lanes: Int
    private let failed: @Sendable (Outcome) -> Bool
    private let mayStart: @Sendable () -> Bool
    /// The pusher, waiting for answers, is woken when this many are in (or when nothing is left
    /// to send, or on a halt), not at each one: a wake-up is a system call on the thread whose
    /// next request is waiting, and the pusher then applies a few answers at once.
    private let wakeAfter: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    // Under `mutex`. `entries` are the units submitted and not yet taken back by `next`, oldest
    // first; they start in that order, so the ones before `firstWaiting` have started (or were
    // held back: `notSent`). `removed` counts the entries taken back, so that an entry's index is
    // its submission number minus `removed`.
    private var entries: [Entry] = []
    private var removed = 0
    private var firstWaiting = 0
    /// Entries that ran (or were held back) and were not taken back yet.
    private var finished = 0
    private var halted = false
    private var closing = false
    private var threads: [pthread_t] = []
    /// The system gave no thread at all: units run on the caller's thread.
    private var inline = false

    /// `lanes`: the most exchanges at once (at least 1). `failed`: whether an outcome halts the
    /// pipeline. `mayStart`: asked before each exchange.
    init(
        lanes: Int = 1, wakeAfter: Int = 1, failed: @escaping @Sendable (Outcome) -> Bool,
        mayStart: @escaping @Sendable () -> Bool
    ) {
        self.lanes = max(1, lanes)
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

    /// Lanes started so far (for tests).
    var lanesStarted: Int { locked { inline ? 1 : threads.count } }

    /// Queues an exchange after the others. When the system gives no thread, it runs now, on the
    /// caller's (still in order, still halting).
    func submit(_ unit: Unit, _ work: @escaping Work) {
        let runHere: Bool = locked {
            entries.append(Entry(unit: unit, work: work))
            // A new lane when every started one has a unit waiting for it.
            if !inline, threads.count < lanes, entries.count - firstWaiting > threads.count {
                startLane()
            }
            if inline { return true }
            pthread_cond_broadcast(changed)
            return false
        }
        if runHere { runInline() }
    }

    /// The oldest unit and its outcome, once it has run; nil as the outcome when it was never
    /// sent (the pipeline halted before it could start). Nil when nothing is waiting.
    func next() -> (unit: Unit, outcome: Outcome?)? {
        locked {
            // The oldest is running, or will start (not halted): wait for its outcome.
            while let first = entries.first {
                if case .running = first.progress {
                } else if case .waiting = first.progress, !halted {
                } else {
                    break
                }
                pthread_cond_wait(changed, mutex)
            }
            guard !entries.isEmpty else { return nil }
            let first = entries.removeFirst()
            removed += 1
            if firstWaiting > 0 { firstWaiting -= 1 }
            switch first.progress {
            case .done(let outcome):
                finished -= 1
                return (first.unit, outcome)
            case .notSent:
                finished -= 1
                return (first.unit, nil)
            case .waiting, .running:
                return (first.unit, nil)
            }
        }
    }

    /// Nothing more starts (the ones running, if any, end normally).
    func halt() {
        locked { halted = true }
    }

    /// After a failure was applied and the round goes on: the next units start.
    func resume() {
        let runHere: Bool = locked {
            halted = false
            pthread_cond_broadcast(changed)
            return inline
        }
        if runHere { runInline() }
    }

    /// Ends the threads, after the exchanges running, if any; units not taken back are dropped
    /// (their items were marked, not sent: the next round sends them).
    func finish() {
        let joining: [pthread_t] = locked {
            halted = true
            closing = true
            pthread_cond_broadcast(changed)
            defer { threads = [] }
            return threads
        }
        for thread in joining { pthread_join(thread, nil) }
    }

    // MARK: - The lanes

    /// Called with `mutex` held.
    private func startLane() {
        let lane = threads.count
        if let started = PipelineThread.start({ [self] in serve(lane: lane) }) {
            threads.append(started)
        } else if threads.isEmpty {
            inline = true
        }
        // A later lane the system refused: the ones running carry the backlog.
    }

    private func serve(lane: Int) {
        pthread_mutex_lock(mutex)
        while true {
            while !closing, halted || firstWaiting >= entries.count { pthread_cond_wait(changed, mutex) }
            if closing { break }
            runOne(lane: lane)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Runs the first unit not started; called with `mutex` held, returns with it held.
    private func runOne(lane: Int) {
        let number = removed + firstWaiting
        let work = entries[firstWaiting].work
        entries[firstWaiting].progress = .running
        firstWaiting += 1
        pthread_mutex_unlock(mutex)
        let outcome: Outcome? = mayStart() ? work(lane) : nil
        pthread_mutex_lock(mutex)
        // Meanwhile `next` may have taken back units before this one, never this one (it waits
        // while the oldest runs): its index moved by as many.
        let index = number - removed
        if let outcome {
            entries[index].progress = .done(outcome)
            if failed(outcome) { halted = true }
        } else {
            entries[index].progress = .notSent
            halted = true
        }
        finished += 1
        if halted || firstWaiting >= entries.count || finished >= wakeAfter {
            pthread_cond_broadcast(changed)
        }
    }

    private func runInline() {
        pthread_mutex_lock(mutex)
        while !halted, firstWaiting < entries.count { runOne(lane: 0) }
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
