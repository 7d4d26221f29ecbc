internal import CarnetJSON

extension Pusher {
    /// What one exchange of a pipelined backlog carries (ExchangePipeline): a Bundle of adds, or
    /// one add alone (a service without batches, a group of one), its request built and encoded.
    enum PushUnit: Sendable {
        case batch(PreparedBatch)
        case add(OutboxItem, VaccinationRow, FHIRRequest)

        /// The outbox items it delivers.
        var items: [OutboxItem] {
            switch self {
            case .batch(let batch): return batch.sent.map(\.item)
            case .add(let item, _, _): return [item]
            }
        }
    }

    /// What came back: the Bundle's entries or the add's id and version, or the failure of the
    /// exchange as a whole.
    enum PushAnswer: Sendable {
        case batch(PreparedBatch.Outcome)
        case add(Result<Written, CarnetFailure>)

        /// Whether it halts the pipeline until the pusher has applied it.
        var failed: Bool {
            switch self {
            case .batch(.failure), .add(.failure): return true
            case .batch(.success), .add(.success): return false
            }
        }
    }

    /// The Immunization a create or an update wrote on the service.
    struct Written: Sendable {
        let id: String
        let version: Int64
    }

    typealias Pipeline = ExchangePipeline<PushUnit, PushAnswer>

    /// The exchange alone, on the pipeline's thread: the connection, never the store.
    static func exchange(_ unit: PushUnit, scope: HostIDScope, over connection: ServiceConnection) -> PushAnswer {
        switch unit {
        case .batch(let batch):
            return .batch(exchangeBatch(batch.bundle, entries: batch.sent.count, over: connection))
        case .add(_, let row, let request):
            do throws(CarnetFailure) {
                let created = try create(request, of: row, scope: scope, over: connection)
                return .add(.success(Written(id: created.id, version: created.version)))
            } catch {
                return .add(.failure(error))
            }
        }
    }
}
