public import CCarnet

@c @implementation
public func carnet_status_string(_ status: carnet_status) -> UnsafePointer<CChar>? {
    // Static text: the host may keep the pointer forever.
    let name = ErrorReporting.name(status)
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}
