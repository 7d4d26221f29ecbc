#if canImport(Glibc)
import Glibc
#endif
// libFuzzer target for CarnetJSON, the strict parser every FHIR answer and
// every JSON argument goes through. Built with the parser's sources in one
// module (see mk/security.mk):
//   swiftc -sanitize=fuzzer,address -parse-as-library Sources/CarnetJSON/*.swift Tests/fuzz/FuzzJSON.swift
// Properties checked on every input:
//   - parsing never traps, whatever the bytes (ASan/UBSan-free, no crash, bounded by limits);
//   - a parsed document serialises to text that parses back to the same value;
//   - the serialised text is valid UTF-8 and within the limits it was read with.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = JSONLimits(maxBytes: 1 << 20, maxDepth: 64, maxNumberLength: 64)
    guard let value = try? JSONValue.parse(bytes, limits: limits) else { return 0 }
    let text = value.serialized()
    let outputLimits = JSONLimits(maxBytes: 8 << 20, maxDepth: 64, maxNumberLength: 64)
    guard let again = try? JSONValue.parse(Array(text.utf8), limits: outputLimits) else {
        fuzzFailure("serialised output does not parse back: \(text.prefix(200))")
    }
    if again != value { fuzzFailure("round trip changed the value: \(text.prefix(200))") }
    if again.serialized() != text { fuzzFailure("serialisation is not stable: \(text.prefix(200))") }
    return 0
}

func fuzzFailure(_ message: String) -> Never {
    print("FUZZ FAILURE: " + message)
    abort()
}
