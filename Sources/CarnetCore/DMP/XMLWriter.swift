/// A minimal XML writer for the DMP note: elements, attributes and text, every value escaped.
/// Only what a CDA document needs (no namespaces beyond the root's, no comments, no CDATA), so the
/// escaping rules are the whole story: `&`, `<`, `>`, `"` and `'` become entities, and characters
/// XML 1.0 forbids (C0 controls but tab, newline, carriage return; U+FFFE, U+FFFF) are dropped —
/// they cannot appear in a well-formed document at all, escaped or not.
struct XMLWriter {
    private(set) var text = ""
    private var open: [String] = []

    init(declaration: Bool = true) {
        if declaration { text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" }
    }

    /// `<name a="v" ...>` with attributes in the given order; nil values are left out.
    mutating func start(_ name: String, _ attributes: [(String, String?)] = []) {
        text += "<" + name + Self.attributeText(attributes) + ">"
        open.append(name)
    }

    mutating func end() {
        guard let name = open.popLast() else { return }
        text += "</" + name + ">"
    }

    /// `<name a="v"/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String?)] = []) {
        text += "<" + name + Self.attributeText(attributes) + "/>"
    }

    /// `<name a="v">text</name>`.
    mutating func element(_ name: String, _ attributes: [(String, String?)] = [], text content: String) {
        text += "<" + name + Self.attributeText(attributes) + ">" + Self.escaped(content) + "</" + name + ">"
    }

    mutating func characters(_ content: String) {
        text += Self.escaped(content)
    }

    /// `body` between `start` and `end`.
    mutating func within(_ name: String, _ attributes: [(String, String?)] = [], _ body: (inout XMLWriter) -> Void) {
        start(name, attributes)
        body(&self)
        end()
    }

    private static func attributeText(_ attributes: [(String, String?)]) -> String {
        var out = ""
        for (key, value) in attributes {
            guard let value else { continue }
            out += " " + key + "=\"" + escaped(value) + "\""
        }
        return out
    }

    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
