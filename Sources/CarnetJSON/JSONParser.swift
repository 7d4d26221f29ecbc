/// Bounds on what a parse may consume. Every document crossing the C boundary or
/// arriving from the network is parsed under limits, so a hostile peer cannot
/// exhaust the stack (deep nesting) or memory (huge input).
public struct JSONLimits: Sendable, Equatable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// Longest number literal accepted; longer ones are refused, not rounded.
    public var maxNumberLength: Int

    public init(maxBytes: Int = 8 << 20, maxDepth: Int = 64, maxNumberLength: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNumberLength = maxNumberLength
    }

    public static let `default` = JSONLimits()
}

/// Why a document was refused, with the byte offset where it went wrong.
/// The description never quotes the document: it may hold patient data.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case tooLarge = "document too large"
        case tooDeep = "nesting too deep"
        case invalidUTF8 = "invalid UTF-8"
        case unexpectedEnd = "unexpected end of document"
        case unexpectedCharacter = "unexpected character"
        case invalidNumber = "invalid number"
        case numberTooLong = "number too long"
        case invalidEscape = "invalid escape sequence"
        case controlCharacterInString = "control character in string"
        case duplicateKey = "duplicate object key"
        case trailingData = "data after the document"
    }

    public var kind: Kind
    public var offset: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(kind.rawValue) at byte \(offset)" }
}

extension JSONValue {
    /// Parses one complete JSON document (RFC 8259), strictly: UTF-8 only, no
    /// duplicate keys, no trailing data, within `limits`.
    public static func parse(
        _ bytes: some Collection<UInt8>, limits: JSONLimits = .default
    ) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(kind: .tooLarge, offset: limits.maxBytes)
        }
        var parser = JSONParser(bytes: Array(bytes), limits: limits)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

struct JSONParser {
    let bytes: [UInt8]
    let limits: JSONLimits
    var position = 0
    var depth = 0

    init(bytes: [UInt8], limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated, as RFC 8259 allows parsers to.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail(.trailingData) }
        return value
    }

    func fail(_ kind: JSONError.Kind) -> JSONError { JSONError(kind: kind, offset: position) }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail(.unexpectedCharacter)
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw fail(.unexpectedEnd) }
        let matches = word.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw fail(.unexpectedCharacter) }
        position += count
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw fail(.tooDeep) }
    }

    mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        position += 1  // {
        var object = JSONObject()
        // Duplicate keys: a linear look over the members so far while the object is small (FHIR
        // objects have a handful of keys, and hashing each key into a fresh Set was ~6 % of the
        // sandbox's CPU on a batch), a Set once it grows, so that a hostile object of 100 000
        // keys still parses in linear time.
        var seen: Set<String>? = nil
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: "\"") else { throw fail(.unexpectedCharacter) }
            let keyOffset = position
            let key = try parseString()
            guard Self.isNew(key, in: object, seen: &seen) else {
                throw JSONError(kind: .duplicateKey, offset: keyOffset)
            }
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: ":") else { throw fail(.unexpectedCharacter) }
            position += 1
            skipWhitespace()
            object.appendUnchecked(key, try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(object)
            default: throw fail(.unexpectedCharacter)
            }
        }
    }

    /// Members up to which duplicates are found by comparing keys, not by hashing them.
    static let linearKeyLimit = 16

    /// Whether `key` is not yet a member of `object` (the object being parsed); `seen` holds its
    /// keys once it has more than `linearKeyLimit`.
    static func isNew(_ key: String, in object: JSONObject, seen: inout Set<String>?) -> Bool {
        if seen == nil {
            guard object.count >= linearKeyLimit else {
                return !object.members.contains { $0.key == key }
            }
            seen = Set(object.members.map(\.key))
        }
        return seen?.insert(key).inserted ?? false
    }

    mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default: throw fail(.unexpectedCharacter)
            }
        }
    }

    mutating func parseNumber() throws(JSONError) -> String {
        let start = position
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail(.invalidNumber) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail(.invalidNumber) }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail(.invalidNumber) }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        guard position - start <= limits.maxNumberLength else {
            throw JSONError(kind: .numberTooLong, offset: start)
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func parseString() throws(JSONError) -> String {
        position += 1  // opening quote
        let start = position
        // Most strings have no escape: validate them in place and decode the run at once
        // (appending scalar by scalar was most of the parse time of a service's answer).
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let end = position
                position += 1
                return bytes.withUnsafeBufferPointer { all in
                    String(decoding: UnsafeBufferPointer(rebasing: all[start..<end]), as: UTF8.self)
                }
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail(.controlCharacterInString) }
            if byte < 0x80 { position += 1 } else { _ = try parseUTF8Scalar() }
        }
        // An escape (or the end of the input): the run so far, then scalar by scalar.
        let runEnd = position
        var scalars = bytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[start..<runEnd]), as: UTF8.self)
        }.unicodeScalars
        while true {
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                position += 1
                scalars.append(try parseEscape())
            case 0x00..<0x20:
                throw fail(.controlCharacterInString)
            case 0x20..<0x80:
                scalars.append(Unicode.Scalar(byte))
                position += 1
            default:
                scalars.append(try parseUTF8Scalar())
            }
        }
    }

    /// Decodes one multi-byte UTF-8 sequence, refusing overlong forms,
    /// surrogates and code points past U+10FFFF.
    mutating func parseUTF8Scalar() throws(JSONError) -> Unicode.Scalar {
        let lead = bytes[position]
        let length: Int
        var value: UInt32
        var minimum: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F); minimum = 0x80
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F); minimum = 0x800
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07); minimum = 0x10000
        default: throw fail(.invalidUTF8)
        }
        guard bytes.count - position >= length else { throw fail(.invalidUTF8) }
        for i in 1..<length {
            let continuation = bytes[position + i]
            guard continuation & 0xC0 == 0x80 else { throw fail(.invalidUTF8) }
            value = (value << 6) | UInt32(continuation & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { throw fail(.invalidUTF8) }
        position += length
        return scalar
    }

    mutating func parseEscape() throws(JSONError) -> Unicode.Scalar {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            if (0xD800...0xDBFF).contains(first) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - position >= 2,
                    bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
                else { throw fail(.invalidEscape) }
                position += 2
                let second = try parseHex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw fail(.invalidEscape) }
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                guard let scalar = Unicode.Scalar(combined) else { throw fail(.invalidEscape) }
                return scalar
            }
            guard let scalar = Unicode.Scalar(first) else { throw fail(.invalidEscape) }
            return scalar
        default:
            position -= 1
            throw fail(.invalidEscape)
        }
    }

    mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
