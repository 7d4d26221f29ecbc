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
        Token(owner: self, startedIn: generation.load(ordering: .sequentiallyConsistent), parent: nil)
    }

    /// A token cancelled by this cancellation or by `parent`'s (the
    /// background sync stops on its own stop and on the client's cancel).
    public func token(alsoCancelledBy parent: Cancellation) -> Token {
        Token(
            owner: self, startedIn: generation.load(ordering: .sequentiallyConsistent),
            parent: ParentToken(owner: parent, startedIn: parent.generation.load(ordering: .sequentiallyConsistent)))
    }

    struct ParentToken: Sendable {
        let owner: Cancellation
        let startedIn: UInt64
    }

    public struct Token: Sendable {
        let owner: Cancellation
        let startedIn: UInt64
        let parent: ParentToken?

        /// Tokens of the background sync have a parent; they get their own
        /// connection so a slow background request never holds up the doctor.
        var isBackground: Bool { parent != nil }

        public var isCancelled: Bool {
            if owner.generation.load(ordering: .sequentiallyConsistent) != startedIn { return true }
            if let parent, parent.owner.generation.load(ordering: .sequentiallyConsistent) != parent.startedIn {
                return true
            }
            return false
        }

        public func check() throws(CarnetFailure) {
            if isCancelled { throw CarnetFailure(.cancelled, domain: .internalError, message: .cancelled) }
        }
    }
}
