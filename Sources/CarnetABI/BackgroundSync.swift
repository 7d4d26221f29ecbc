public import CCarnet
internal import CarnetCore
internal import CarnetJSON

/// The host's event callback and payload; the host promises the callback is
/// thread-safe (carnet.h), which is what makes this wrapper Sendable.
struct HostEventSink: @unchecked Sendable {
    let callback: carnet_event_callback
    let payload: UnsafeMutableRawPointer?

    func deliver(_ kind: BackgroundSync.EventKind, _ detail: JSONValue) {
        let cKind = carnet_event_kind(rawValue: kind.rawValue)
        detail.serialized().withCString { callback(payload, cKind, $0) }
    }
}

@c @implementation
public func carnet_sync_start(
    _ client: OpaquePointer?, _ interval_ms: UInt32, _ callback: carnet_event_callback?,
    _ payload: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    ClientCall.run(client, error) { client throws(CarnetFailure) in
        let sink = callback.map { HostEventSink(callback: $0, payload: payload) }
        try client.startBackgroundSync(intervalMilliseconds: interval_ms) { kind, detail in
            sink?.deliver(kind, detail)
        }
    }
}

@c @implementation
public func carnet_sync_stop(_ client: OpaquePointer?) -> carnet_status {
    guard let borrowed = try? ClientHandle.borrow(client) else { return CARNET_E_INVALID_ARGUMENT }
    borrowed.stopBackgroundSync()
    return CARNET_OK
}
