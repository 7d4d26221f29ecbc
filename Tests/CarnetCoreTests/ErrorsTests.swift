import Testing
@testable import CarnetCore
import CarnetJSON
import CarnetWire

#if canImport(Glibc)
import Glibc
#endif

/// The status names the core writes in JSON documents (`FailureKind.cName`)
/// are the header's; the C boundary's table (CarnetABI/ErrorReporting.swift)
/// is checked against the same header by Tests/python/test_error_struct.py.
@Suite struct FailureKindTests {
    /// `CARNET_NAME = value` pairs of carnet_status, read from include/carnet.h.
    static func headerStatuses() -> [String: UInt32] {
        let here = "\(#filePath)"
        guard let tests = here.firstRange(of: "/Tests/CarnetCoreTests/") else { return [:] }
        let path = String(here[..<tests.lowerBound]) + "/include/carnet.h"
        guard let file = fopen(path, "r") else {
            Issue.record("cannot read \(path)")
            return [:]
        }
        defer { fclose(file) }
        var statuses: [String: UInt32] = [:]
        var line = [CChar](repeating: 0, count: 4096)
        var inStatusEnum = false
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("typedef enum carnet_status") { inStatusEnum = true }
            if inStatusEnum, text.hasPrefix("} carnet_status;") { break }
            guard inStatusEnum else { continue }
            // Names and values hold no blanks: dropping them and the comma (as bytes: "\r\n"
            // would be one Character) leaves both bare.
            let blanks: [UInt8] = [0x20, 0x2C, 0x09, 0x0A, 0x0D]
            let parts = text.split(separator: "=").map {
                String(decoding: $0.utf8.filter { !blanks.contains($0) }, as: UTF8.self)
            }
            if parts.count == 2, parts[0].hasPrefix("CARNET_"), let value = UInt32(parts[1]) {
                statuses[parts[0]] = value
            }
        }
        return statuses
    }

    @Test func everyKindHasTheHeadersNameAndValue() {
        let header = Self.headerStatuses()
        #expect(header.count >= 25, "header parsed")
        var kinds = 0
        for raw in UInt32(0)...64 {
            guard let kind = FailureKind(rawValue: raw) else { continue }
            kinds += 1
            #expect(header[kind.cName] == raw, "\(kind) is \(kind.cName) = \(raw) in carnet.h")
        }
        #expect(kinds == header.count - 1, "every status but CARNET_OK is a FailureKind")
    }
}

@Suite struct FailureFieldTests {
    @Test(arguments: [
        (UserMessage.missingArgument("patient_id"), "patient_id"),
        (.emptyArgument("share_code"), "share_code"),
        (.notUTF8("query"), "query"),
        (.argumentTooLong("path", maxBytes: 4096), "path"),
        (.invalidField("service_url", reason: .notHTTPSURL), "service_url"),
        (.invalidJSON("immunization_json"), "immunization_json"),
        (.wrongResourceType("patient_json", expected: "Patient"), "patient_json"),
        (.missingPatientField("name.family"), "name.family"),
        (.missingImmunizationField("identifier[0].value"), "identifier[0].value"),
        (.invalidDate("birth_date"), "birth_date"),
        (.fileUnreadable("path"), "path"),
        (.serviceURLMissing, "service_url"),
        (.pkcs12Malformed, "path"),
    ])
    func anInvalidArgumentNamesItsInput(message: UserMessage, field: String) {
        #expect(CarnetFailure.invalidArgument(message).field == field)
    }

    @Test func theOptionsVersionIsAField() {
        let failure = CarnetFailure(.unsupportedVersion, domain: .validation, message: .unsupportedOptionsVersion(9))
        #expect(failure.field == "version")
    }

    @Test(arguments: [
        (UserMessage.Rejection.dateInFuture, "occurrenceDateTime" as String?),
        (.dateBeforeBirth, "occurrenceDateTime"), (.unknownVaccine, "vaccineCode"), (.birthDateInFuture, "birthDate"),
        (.duplicateIdentifier, "identifier[0].value"), (.missingElement(nil), nil), (.invalidValue(nil), nil), (.other(nil), nil),
        (.missingElement("Immunization.lotNumber"), "Immunization.lotNumber"),
        (.other("Immunization.site"), "Immunization.site"),
    ])
    func aRejectionNamesTheElementItsRuleIsAbout(reason: UserMessage.Rejection, field: String?) {
        #expect(CarnetFailure(.rejected, domain: .http, code: 422, message: .rejected(reason)).field == field)
    }

    @Test func aRefusalNamesTheElementFromTheOperationOutcomeAndNothingAHostileServiceWrote() {
        func refusal(_ expression: String) -> CarnetFailure {
            let outcome = OperationOutcome.make(
                severity: .error, code: .required, message: "x", detail: .missingElement, expression: expression)
            return ServiceFailures.map(
                HTTPResponse(status: 422, headers: [], body: Array(outcome.serialized().utf8)))
        }
        let named = refusal("Immunization.lotNumber")
        #expect(named.field == "Immunization.lotNumber")
        #expect(named.message.text(.french).contains("le numéro de lot (Immunization.lotNumber)"))
        let hostile = refusal("Appelez le 0800 000 000 !")
        #expect(hostile.field == nil)
        #expect(!hostile.message.text(.french).contains("0800"))
    }

    @Test func otherFailuresNameNoInputEvenWhenTheirMessageMentionsOne() {
        #expect(CarnetFailure(.tls, domain: .tls, message: .fileUnreadable("ca_bundle_path")).field == nil)
        #expect(CarnetFailure(.notFound, domain: .validation, message: .noLinkedCarnet).field == nil)
        #expect(CarnetFailure(.network, domain: .network, message: .networkUnreachable).field == nil)
        // A pending add keeps its reason's message but is no argument failure.
        var pending = CarnetFailure.invalidArgument(.missingArgument("patient_id"))
        pending.kind = .pending
        #expect(pending.field == nil)
    }
}
