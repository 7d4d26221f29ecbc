internal import CCarnet
internal import CarnetCore

/// The one place where Swift failures become C results: a `carnet_status` and,
/// when the host passed one, a filled `carnet_error`.
enum ErrorReporting {
    static func status(_ kind: FailureKind) -> carnet_status {
        carnet_status(rawValue: kind.rawValue)
    }

    static func domain(_ domain: FailureDomain) -> carnet_error_domain {
        carnet_error_domain(rawValue: domain.rawValue)
    }

    /// Resets the host's error to "no error".
    static func clear(_ error: UnsafeMutablePointer<carnet_error>?) {
        guard let error else { return }
        error.pointee.status = CARNET_OK
        error.pointee.domain = CARNET_DOMAIN_NONE
        error.pointee.code = 0
        writeMessage("", into: error)
    }

    /// Fills the host's error (if any) and returns the status to give back.
    static func report(
        _ failure: CarnetFailure, locale: UserMessage.Locale, into error: UnsafeMutablePointer<carnet_error>?
    ) -> carnet_status {
        let result = status(failure.kind)
        guard let error else { return result }
        error.pointee.status = result
        error.pointee.domain = domain(failure.domain)
        error.pointee.code = failure.code
        writeMessage(failure.message.text(locale), into: error)
        return result
    }

    /// Copies `text` as NUL-terminated UTF-8, truncated on a character
    /// boundary so the host never reads half a character.
    static func writeMessage(_ text: String, into error: UnsafeMutablePointer<carnet_error>) {
        let capacity = Int(CARNET_ERROR_MESSAGE_SIZE)
        withUnsafeMutableBytes(of: &error.pointee.message) { buffer in
            guard buffer.count >= capacity, capacity > 0 else { return }
            var length = 0
            for character in text {
                let utf8 = character.utf8
                guard length + utf8.count <= capacity - 1 else { break }
                for byte in utf8 {
                    buffer[length] = byte
                    length += 1
                }
            }
            buffer[length] = 0
        }
    }

    /// Runs the body of a C entry point: success clears the error, a failure
    /// is reported. The body can only throw `CarnetFailure` (typed throws), so
    /// nothing escapes unmapped.
    static func boundary(
        locale: UserMessage.Locale = .french,
        _ error: UnsafeMutablePointer<carnet_error>?,
        _ body: () throws(CarnetFailure) -> Void
    ) -> carnet_status {
        do {
            try body()
            clear(error)
            return CARNET_OK
        } catch let failure {
            return report(failure, locale: locale, into: error)
        }
    }
}
