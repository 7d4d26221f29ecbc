public import CCarnet
internal import CarnetCore
internal import CarnetJSON

/// `carnet_client *` is an unmanaged, retained `CarnetClient`: open retains,
/// close releases. Calls in between borrow it for their duration.
enum ClientHandle {
    static func make(_ client: CarnetClient) -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(client).toOpaque())
    }

    static func borrow(_ handle: OpaquePointer?) throws(CarnetFailure) -> CarnetClient {
        guard let handle else { throw .invalidArgument(.missingArgument("client")) }
        return Unmanaged<CarnetClient>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    static func release(_ handle: OpaquePointer) {
        Unmanaged<CarnetClient>.fromOpaque(UnsafeRawPointer(handle)).release()
    }
}

/// Runs the body of an entry point that takes a client: borrows the handle,
/// reports failures in the client's locale.
enum ClientCall {
    static func run(
        _ handle: OpaquePointer?,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: (CarnetClient) throws(CarnetFailure) -> Void
    ) -> carnet_status {
        let client: CarnetClient
        do {
            client = try ClientHandle.borrow(handle)
        } catch let failure {
            return ErrorReporting.report(failure, locale: .french, into: error)
        }
        return ErrorReporting.boundary(locale: client.configuration.locale, error) { () throws(CarnetFailure) in
            try body(client)
        }
    }
}

extension ClientCall {
    /// For the entry points that record a change (add, remove): the core decided the outcome
    /// (`ChangeOutcome`); here it becomes a status. Delivered → OK; pending → CARNET_PENDING with
    /// the reason's domain, code and message (the change is recorded); refused → the reason's
    /// status. The state document goes to `out` (when the function has one) unless refused.
    static func change(
        _ handle: OpaquePointer?,
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: (CarnetClient) throws(CarnetFailure) -> ChangeOutcome
    ) -> carnet_status {
        out?.pointee = nil
        var pendingReason: CarnetFailure?
        var locale = UserMessage.Locale.french
        let status = run(handle, error) { client throws(CarnetFailure) in
            locale = client.configuration.locale
            let outcome = try body(client)
            if case .refused(_, let reason) = outcome { throw reason }
            if let out { try output(outcome.document, out) }
            if case .pending(_, let reason) = outcome { pendingReason = reason }
        }
        guard status == CARNET_OK, var pending = pendingReason else { return status }
        pending.kind = .pending
        return ErrorReporting.report(pending, locale: locale, into: error)
    }

    /// For carnet_vaccinations_add: the results document goes to `out` whatever the items' fates;
    /// the status is OK when every item was delivered, CARNET_PENDING (with the first pending
    /// item's reason) when all were recorded and some wait, else the first refused item's status
    /// (with its message and field).
    static func many(
        _ handle: OpaquePointer?,
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: (CarnetClient) throws(CarnetFailure) -> RecordedVaccinations
    ) -> carnet_status {
        out?.pointee = nil
        var verdict: CarnetFailure?
        var locale = UserMessage.Locale.french
        let status = run(handle, error) { client throws(CarnetFailure) in
            locale = client.configuration.locale
            let recorded = try body(client)
            if let out { try output(recorded.document, out) }
            if var pending = recorded.firstPending {
                pending.kind = .pending
                verdict = pending
            }
            verdict = recorded.firstRefusal ?? verdict
        }
        guard status == CARNET_OK, let verdict else { return status }
        return ErrorReporting.report(verdict, locale: locale, into: error)
    }

    /// For entry points whose result is a JSON document in `out_json`: the
    /// output is cleared first, checked before any work, filled on success.
    static func json(
        _ handle: OpaquePointer?,
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: (CarnetClient) throws(CarnetFailure) -> JSONValue
    ) -> carnet_status {
        out?.pointee = nil
        return run(handle, error) { client throws(CarnetFailure) in
            // Checked before the body runs, so a NULL out_json never costs a network call.
            _ = try Arguments.requiredPointer(out, name: "out_json")
            try output(body(client), out)
        }
    }

    /// `json` for a body that writes its JSON text itself (the vaccine search's cached entries).
    static func jsonText(
        _ handle: OpaquePointer?,
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: (CarnetClient) throws(CarnetFailure) -> [UInt8]
    ) -> carnet_status {
        out?.pointee = nil
        return run(handle, error) { client throws(CarnetFailure) in
            _ = try Arguments.requiredPointer(out, name: "out_json")
            try output(text: body(client), out)
        }
    }

    /// Serialises a JSON result into a malloc'd string for an out_json parameter.
    static func output(
        _ value: JSONValue, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) throws(CarnetFailure) {
        try output(text: value.serializedUTF8(), out)
    }

    /// Copies JSON text into a malloc'd string for an out_json parameter.
    static func output(
        text: [UInt8], _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) throws(CarnetFailure) {
        let target = try Arguments.requiredPointer(out, name: "out_json")
        target.pointee = try text.withUnsafeBufferPointer { bytes throws(CarnetFailure) in
            try OwnedCString.makeOrFail(bytes)
        }
    }
}

@c @implementation
public func carnet_client_open(
    _ options: UnsafePointer<carnet_options>?,
    _ out_client: UnsafeMutablePointer<OpaquePointer?>?,
    _ error: UnsafeMutablePointer<carnet_error>?
) -> carnet_status {
    out_client?.pointee = nil
    let locale = OptionsReader.locale(options)
    return ErrorReporting.boundary(locale: locale, error) { () throws(CarnetFailure) in
        let out = try Arguments.requiredPointer(out_client, name: "out_client")
        let configuration = try OptionsReader.configuration(options)
        let client = try CarnetClient(configuration: configuration)
        out.pointee = ClientHandle.make(client)
    }
}

@c @implementation
public func carnet_client_close(_ client: OpaquePointer?) {
    guard let client else { return }
    if let borrowed = try? ClientHandle.borrow(client) {
        borrowed.stopBackgroundSync()
        borrowed.cancel()
    }
    ClientHandle.release(client)
}

@c @implementation
public func carnet_client_cancel(_ client: OpaquePointer?) -> carnet_status {
    guard let borrowed = try? ClientHandle.borrow(client) else { return CARNET_E_INVALID_ARGUMENT }
    borrowed.cancel()
    return CARNET_OK
}
