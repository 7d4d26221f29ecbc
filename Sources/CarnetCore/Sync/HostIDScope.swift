internal import CarnetJSON
internal import CarnetWire

/// Which identifier system names the host's vaccination ids on the wire (`Immunization.identifier`),
/// and which systems are recognised as the host's own.
///
/// The practice is the unit: when the host gives its installation's id (`practice_id`, the EHR
/// database its workstations share), every workstation writes `urn:carnet:host-vaccination:<practice>`,
/// so a vaccination recorded on one workstation is recognised by the others — never proposed for
/// import, correctable and removable from any of them, never created twice (the service's
/// conditional create is keyed on that identifier). Without one, the store's own install id is the
/// scope (one workstation), which is also what a store pushed before the host set a practice id:
/// both stay recognised, so existing stores keep working.
struct HostIDScope: Sendable, Equatable {
    static let prefix = CodeSystem.hostVaccinationPrefix

    /// The system this workstation writes.
    let system: String
    /// Every system whose values are this host's vaccination ids.
    let recognised: [String]

    init(practiceID: String?, installID: String) {
        let own = HostIDScope.prefix + installID
        if let practiceID {
            system = HostIDScope.prefix + practiceID
            recognised = [system, own]
        } else {
            system = own
            recognised = [own]
        }
    }

    /// The host's vaccination id carried by `resource`, if one of its identifiers is in scope.
    func hostID(of resource: JSONValue?) -> String? {
        for identifier in resource?["identifier"]?.arrayValue ?? [] {
            guard let system = identifier["system"]?.stringValue, recognised.contains(system),
                let value = identifier["value"]?.stringValue, !value.isEmpty, value.utf8.count <= 128
            else { continue }
            return value
        }
        return nil
    }

    /// A practice id names one EHR installation for every service it meets, so it must be
    /// globally unique (two practices sharing a carnet with the same id would take each other's
    /// vaccinations for their own): 16 to 64 URI-unreserved characters, e.g. a UUID the host
    /// generated once and keeps in its database.
    static func isValidPracticeID(_ text: String) -> Bool {
        (16...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                    return true
                default:
                    return false
                }
            }
    }
}
