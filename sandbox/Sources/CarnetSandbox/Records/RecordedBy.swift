// Who recorded a version of an Immunization: the service knows the professional behind every
// write, so it says so on the resource (WireDefinition.recordedByExtension) for the other members
// of a care team and the other professionals of the carnet ("recorded elsewhere by ...").
//
// The value is the service's, never the client's: a client-sent extension of that URL is replaced,
// or removed when the writer is not a professional (the citizen, the staff). It names the
// professional by display name and national identifier (IDNPS) only, never by email.

import CarnetWire

extension RecordService {
    /// The extension for a write by `actor`; nil when the writer is not a known professional.
    func recordedByExtension(for actor: Actor) throws -> JSONValue? {
        guard case .professional(let id) = actor, let professional = try store.professional(id: id) else {
            return nil
        }
        var reference: JSONObject = ["type": "Practitioner", "display": .string(professional.name)]
        if !professional.rpps.isEmpty {
            // IDNPS of an RPPS-registered professional: "8" + the 11-digit RPPS number (FR Core).
            reference["identifier"] = [
                "system": .string(CodeSystem.idnps), "value": .string("8" + professional.rpps),
            ]
        }
        return ["url": .string(WireDefinition.recordedByExtension), "valueReference": .object(reference)]
    }

    /// `imm` with its recorded-by extension set to `recordedBy` (or removed when nil); other
    /// extensions are kept in their order.
    static func settingRecordedBy(_ imm: JSONObject, _ recordedBy: JSONValue?) -> JSONObject {
        var result = imm
        var extensions =
            imm["extension"]?.arrayValue?.filter { $0["url"]?.stringValue != WireDefinition.recordedByExtension }
            ?? []
        if let recordedBy { extensions.append(recordedBy) }
        result["extension"] = extensions.isEmpty ? nil : .array(extensions)
        return result
    }
}
