internal import CCarnet

/// Static, NUL-terminated: the host may keep the pointer forever. Equal to the
/// header's CARNET_VERSION_STRING (checked by Tests/python/test_lifecycle.py).
private let versionText: StaticString = "0.2.0"

@c @implementation
public func carnet_version_string() -> UnsafePointer<CChar>? {
    UnsafeRawPointer(versionText.utf8Start).assumingMemoryBound(to: CChar.self)
}

@c @implementation
public func carnet_version_number() -> UInt32 {
    UInt32(CARNET_VERSION_MAJOR * 10_000 + CARNET_VERSION_MINOR * 100 + CARNET_VERSION_PATCH)
}
