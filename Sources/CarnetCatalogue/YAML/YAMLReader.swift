/// A YAML node from the block-style subset that NUVA release files use.
enum YAMLNode: Sendable, Equatable {
    case scalar(String)
    case sequence([YAMLNode])
    case mapping([(key: String, value: YAMLNode)])
    case empty

    static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): return a == b
        case (.sequence(let a), .sequence(let b)): return a == b
        case (.empty, .empty): return true
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    subscript(key: String) -> YAMLNode? {
        guard case .mapping(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    var scalar: String? {
        if case .scalar(let s) = self { return s }
        return nil
    }

    /// A scalar as a one-element list, a sequence of scalars as a list, empty as [].
    var scalarList: [String]? {
        switch self {
        case .scalar(let s): return [s]
        case .empty: return []
        case .sequence(let items):
            var out: [String] = []
            for item in items {
                guard case .scalar(let s) = item else { return nil }
                out.append(s)
            }
            return out
        case .mapping: return nil
        }
    }
}

struct YAMLError: Error, Sendable, Equatable {
    var line: Int
    var message: String
}

/// A reader for the YAML subset of NUVA files: block mappings and sequences by
/// indentation (`key: value`, `key:` + nested block, `- item`), plain scalars that
/// continue on more-indented lines (folded with spaces), single-quoted (`''` escape)
/// and double-quoted (`\"`, `\\`, `\n`, `\t`, `\uXXXX`) scalars over several lines,
/// `#` comments, `[]` and `{}` as empty collections. Everything else (flow collections,
/// block scalars `|` `>`, anchors, tags, tabs in indentation, documents `---`) is an
/// error with its line number, never a guess. Scalars stay text: `012875` is the code
/// "012875", not a number.
struct YAMLReader {
    private struct Line {
        var number: Int
        var indent: Int
        var text: Substring  // without indentation, trailing spaces kept out
    }

    private var lines: [Line] = []
    private var position = 0
    private static let maximumDepth = 32

    static func parse(_ text: String) throws(YAMLError) -> YAMLNode {
        var reader = YAMLReader()
        try reader.split(text)
        if reader.lines.isEmpty { return .empty }
        guard let first = reader.lines.first else { return .empty }
        let node = try reader.parseBlock(indent: first.indent, depth: 0)
        if reader.position < reader.lines.count {
            let line = reader.lines[reader.position]
            throw YAMLError(line: line.number, message: "unexpected indentation")
        }
        return node
    }

    private mutating func split(_ text: String) throws(YAMLError) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var lineText = raw
            if lineText.last == "\r" { lineText = lineText.dropLast() }
            var indent = 0
            var index = lineText.startIndex
            while index < lineText.endIndex, lineText[index] == " " {
                indent += 1
                index = lineText.index(after: index)
            }
            let rest = lineText[index...]
            // Trim trailing spaces.
            var end = rest.endIndex
            while end > rest.startIndex, rest[rest.index(before: end)] == " " || rest[rest.index(before: end)] == "\t" {
                end = rest.index(before: end)
            }
            let content = rest[rest.startIndex..<end]
            if content.isEmpty || content.first == "#" {
                // Blank or comment lines are kept as empty lines inside quoted scalars only.
                lines.append(Line(number: number, indent: -1, text: content.first == "#" ? "" : ""))
                continue
            }
            if content.first == "\t" { throw YAMLError(line: number, message: "tab in indentation") }
            if number == 1 || lines.allSatisfy({ $0.indent < 0 }) {
                if content == "---" { lines.append(Line(number: number, indent: -1, text: "")); continue }
            }
            if content == "---" || content == "..." {
                throw YAMLError(line: number, message: "several YAML documents in one file are not supported")
            }
            lines.append(Line(number: number, indent: indent, text: content))
        }
        // Blank lines only matter inside quoted scalars, which read raw lines below; drop them here
        // but remember them by number gaps.
        lines.removeAll(where: { $0.indent < 0 })
    }

    private mutating func parseBlock(indent: Int, depth: Int) throws(YAMLError) -> YAMLNode {
        guard depth < YAMLReader.maximumDepth else {
            throw YAMLError(line: lines[min(position, lines.count - 1)].number, message: "nesting too deep")
        }
        guard position < lines.count else { return .empty }
        let line = lines[position]
        if line.text == "-" || line.text.hasPrefix("- ") {
            return try parseSequence(indent: indent, depth: depth)
        }
        return try parseMapping(indent: indent, depth: depth)
    }

    private mutating func parseSequence(indent: Int, depth: Int) throws(YAMLError) -> YAMLNode {
        var items: [YAMLNode] = []
        while position < lines.count {
            let line = lines[position]
            if line.indent < indent { break }
            if line.indent > indent {
                throw YAMLError(line: line.number, message: "unexpected indentation in a list")
            }
            guard line.text == "-" || line.text.hasPrefix("- ") else { break }
            position += 1
            let value = line.text.dropFirst(1).drop(while: { $0 == " " })
            if value.isEmpty {
                if position < lines.count, lines[position].indent > indent {
                    items.append(try parseBlock(indent: lines[position].indent, depth: depth + 1))
                } else {
                    items.append(.empty)
                }
                continue
            }
            if Self.mappingSplit(value) != nil, value.first != "'", value.first != "\"" {
                throw YAMLError(line: line.number, message: "mappings inside list items are not supported")
            }
            if value.hasPrefix("- ") {
                throw YAMLError(line: line.number, message: "nested inline lists are not supported")
            }
            items.append(try parseScalar(value, startLine: line.number, parentIndent: indent))
        }
        return .sequence(items)
    }

    private mutating func parseMapping(indent: Int, depth: Int) throws(YAMLError) -> YAMLNode {
        var members: [(key: String, value: YAMLNode)] = []
        while position < lines.count {
            let line = lines[position]
            if line.indent < indent { break }
            if line.indent > indent {
                throw YAMLError(line: line.number, message: "unexpected indentation")
            }
            if line.text == "-" || line.text.hasPrefix("- ") {
                throw YAMLError(line: line.number, message: "list item where a key was expected")
            }
            guard let (rawKey, rawValue) = Self.mappingSplit(line.text) else {
                throw YAMLError(line: line.number, message: "expected 'key: value'")
            }
            let key = try Self.key(rawKey, line: line.number)
            if members.contains(where: { $0.key == key }) {
                throw YAMLError(line: line.number, message: "duplicate key '\(key)'")
            }
            position += 1
            let value: YAMLNode
            if rawValue.isEmpty {
                if position < lines.count, lines[position].indent > indent {
                    value = try parseBlock(indent: lines[position].indent, depth: depth + 1)
                } else if position < lines.count, lines[position].indent == indent,
                          lines[position].text == "-" || lines[position].text.hasPrefix("- ") {
                    value = try parseSequence(indent: indent, depth: depth + 1)
                } else {
                    value = .empty
                }
            } else {
                value = try parseScalar(rawValue, startLine: line.number, parentIndent: indent)
            }
            members.append((key, value))
        }
        return .mapping(members)
    }

    /// Splits `key: value` / `key:` at the first ": " outside quotes; nil if not a mapping line.
    private static func mappingSplit(_ text: Substring) -> (Substring, Substring)? {
        var index = text.startIndex
        if text.first == "'" || text.first == "\"" {
            // Quoted key: find its end.
            let quote = text[index]
            index = text.index(after: index)
            while index < text.endIndex {
                if text[index] == quote {
                    let next = text.index(after: index)
                    if quote == "'", next < text.endIndex, text[next] == "'" {
                        index = text.index(after: next)
                        continue
                    }
                    index = next
                    break
                }
                if quote == "\"", text[index] == "\\" {
                    index = text.index(after: index)
                    if index == text.endIndex { return nil }
                }
                index = text.index(after: index)
            }
        }
        while index < text.endIndex {
            if text[index] == ":" {
                let next = text.index(after: index)
                if next == text.endIndex {
                    return (text[text.startIndex..<index], text[next...])
                }
                if text[next] == " " {
                    let value = text[next...].drop(while: { $0 == " " })
                    return (text[text.startIndex..<index], value)
                }
            }
            if text[index] == " ", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "#" {
                return nil
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func key(_ raw: Substring, line: Int) throws(YAMLError) -> String {
        let trimmed = raw.drop(while: { $0 == " " })
        guard !trimmed.isEmpty else { throw YAMLError(line: line, message: "empty key") }
        if trimmed.first == "'" || trimmed.first == "\"" {
            var reader = YAMLReader()
            let node = try reader.parseQuoted(trimmed, startLine: line, parentIndent: -1)
            guard case .scalar(let s) = node else { throw YAMLError(line: line, message: "bad key") }
            return s
        }
        if let first = trimmed.first, "[{&*!|>?%@`".contains(first) {
            throw YAMLError(line: line, message: "unsupported key syntax")
        }
        var end = trimmed.endIndex
        while end > trimmed.startIndex, trimmed[trimmed.index(before: end)] == " " { end = trimmed.index(before: end) }
        return String(trimmed[trimmed.startIndex..<end])
    }

    /// A scalar beginning with `value` on `startLine`; plain scalars continue on following
    /// lines indented deeper than `parentIndent`, quoted ones until their closing quote.
    private mutating func parseScalar(_ value: Substring, startLine: Int, parentIndent: Int) throws(YAMLError) -> YAMLNode {
        guard let first = value.first else { return .empty }
        switch first {
        case "'", "\"":
            return try parseQuoted(value, startLine: startLine, parentIndent: parentIndent)
        case "[":
            if value == "[]" { return .sequence([]) }
            throw YAMLError(line: startLine, message: "flow lists are not supported")
        case "{":
            if value == "{}" { return .mapping([]) }
            throw YAMLError(line: startLine, message: "flow mappings are not supported")
        case "|", ">":
            throw YAMLError(line: startLine, message: "block scalars ('|', '>') are not supported")
        case "&", "*", "!":
            throw YAMLError(line: startLine, message: "anchors, aliases and tags are not supported")
        default:
            break
        }
        var parts: [Substring] = [Self.stripComment(value)]
        while position < lines.count, lines[position].indent > parentIndent {
            let next = lines[position]
            if next.text.first == "#" { position += 1; continue }
            if Self.mappingSplit(next.text) != nil {
                throw YAMLError(line: next.number, message: "unexpected 'key: value' inside a plain scalar")
            }
            parts.append(Self.stripComment(next.text))
            position += 1
        }
        let text = parts.joined(separator: " ")
        if text == "~" || text == "null" { return .empty }
        return .scalar(text)
    }

    private static func stripComment(_ text: Substring) -> Substring {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "#", index > text.startIndex, text[text.index(before: index)] == " " {
                var end = text.index(before: index)
                while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
                return text[text.startIndex..<end]
            }
            index = text.index(after: index)
        }
        return text
    }

    /// A quoted scalar that may span lines (line breaks fold to a space; leading
    /// indentation of continuation lines is dropped).
    private mutating func parseQuoted(_ value: Substring, startLine: Int, parentIndent: Int) throws(YAMLError) -> YAMLNode {
        guard let quote = value.first else { return .empty }
        var result = ""
        var current: Substring = value.dropFirst()
        var lineNumber = startLine
        while true {
            var index = current.startIndex
            while index < current.endIndex {
                let c = current[index]
                if c == quote {
                    let next = current.index(after: index)
                    if quote == "'", next < current.endIndex, current[next] == "'" {
                        result.append("'")
                        index = current.index(after: next)
                        continue
                    }
                    // Closing quote: only spaces or a comment may follow.
                    let rest = current[next...].drop(while: { $0 == " " })
                    if !rest.isEmpty && rest.first != "#" {
                        throw YAMLError(line: lineNumber, message: "text after a closing quote")
                    }
                    return .scalar(result)
                }
                if quote == "\"", c == "\\" {
                    let next = current.index(after: index)
                    guard next < current.endIndex else {
                        throw YAMLError(line: lineNumber, message: "escaped line breaks are not supported")
                    }
                    let e = current[next]
                    var after = current.index(after: next)
                    switch e {
                    case "\\": result.append("\\")
                    case "\"": result.append("\"")
                    case "/": result.append("/")
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "r": result.append("\r")
                    case "0": result.append("\u{0}")
                    case " ": result.append(" ")
                    case "u":
                        let hexEnd = current.index(after, offsetBy: 4, limitedBy: current.endIndex) ?? current.endIndex
                        let hex = current[after..<hexEnd]
                        guard hex.count == 4, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                            throw YAMLError(line: lineNumber, message: "bad \\u escape")
                        }
                        result.unicodeScalars.append(scalar)
                        after = hexEnd
                    default:
                        throw YAMLError(line: lineNumber, message: "unsupported escape \\\(e)")
                    }
                    index = after
                    continue
                }
                result.append(c)
                index = current.index(after: index)
            }
            // The scalar continues on the next line.
            guard position < lines.count, parentIndent >= 0 else {
                throw YAMLError(line: lineNumber, message: "unterminated quoted string")
            }
            let next = lines[position]
            if next.number > lineNumber + 1 {
                // Blank lines inside a quoted scalar become line breaks.
                for _ in 0..<(next.number - lineNumber - 1) { result.append("\n") }
            } else {
                // Fold: trailing spaces of the previous line are dropped, one space joins.
                while result.last == " " { result.removeLast() }
                result.append(" ")
            }
            lineNumber = next.number
            current = next.text
            position += 1
        }
    }
}
