internal import CarnetJSON
internal import Glibc

/// A batch Bundle sent on a thread of its own, so that the pusher reads, marks and builds the
/// next page of a backlog while the service works on this one (docs/sync.md, "Batches and many
/// at once"). The thread only exchanges: it serialises the Bundle, sends it and parses the answer;
/// the store is touched by the pusher's thread alone. The pusher joins the batch before it
/// sends anything else, so the connection still carries one request at a time.
final class BatchInFlight: @unchecked Sendable {
    /// The entries' answers, or the failure of the whole exchange.
    typealias Outcome = Result<[JSONValue], CarnetFailure>

    let batch: Pusher.PreparedBatch
    private let work: @Sendable () -> Outcome
    /// Written by the thread before it ends, read after `pthread_join` (which orders the two).
    private var outcome: Outcome?
    private var thread: pthread_t?

    private init(_ batch: Pusher.PreparedBatch, _ work: @escaping @Sendable () -> Outcome) {
        self.batch = batch
        self.work = work
    }

    /// Starts the exchange; when the system gives no thread, it runs now, on the caller's.
    static func start(_ batch: Pusher.PreparedBatch, over connection: ServiceConnection) -> BatchInFlight {
        let bundle = batch.bundle
        let count = batch.sent.count
        let flight = BatchInFlight(batch) { Pusher.exchangeBatch(bundle, entries: count, over: connection) }
        let context = Unmanaged.passRetained(flight).toOpaque()
        var created = pthread_t()
        let rc = pthread_create(
            &created, nil,
            { argument in
                guard let argument else { return nil }
                let flight = Unmanaged<BatchInFlight>.fromOpaque(argument).takeRetainedValue()
                flight.outcome = flight.work()
                return nil
            }, context)
        if rc == 0 {
            flight.thread = created
        } else {
            Unmanaged<BatchInFlight>.fromOpaque(context).release()
            flight.outcome = flight.work()
        }
        return flight
    }

    /// Waits for the answer. Called once, by the thread that started the batch.
    func join() -> Outcome {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return outcome ?? .failure(.internal("a batch exchange ended without an answer"))
    }
}
