internal import Synchronization

/// Cancellation of a client's running operations from any thread.
///
/// Each operation remembers the generation it started in; `cancel()` bumps the
/// generation, so every operation started before it sees itself cancelled and
/// every operation started after it runs normally. Lock-free: `cancel()` never
/// waits, so it is safe from a log callback or a signal-free UI thread.
public final class Cancellation: Sendable {
    private let generation = Atomic<UInt64>(0)

    public init() {}

    public func cancel() {
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    /// A token for an operation starting now.
    public func token() -> Token {
        Token(owner: self, startedIn: generation.load(ordering: .sequentiallyConsistent))
    }

    public struct Token: Sendable {
        let owner: Cancellation
        let startedIn: UInt64

        public var isCancelled: Bool {
            owner.generation.load(ordering: .sequentiallyConsistent) != startedIn
        }

        public func check() throws(CarnetFailure) {
            if isCancelled { throw CarnetFailure(.cancelled, domain: .internalError, message: .cancelled) }
        }
    }
}
