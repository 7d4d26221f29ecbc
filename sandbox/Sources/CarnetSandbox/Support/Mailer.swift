// Outgoing email: each message is an RFC 5322 .eml file in the data directory's outbox.
// The log records that an email was sent (its file name), never its recipient or contents.

import Foundation

struct Mailer: Sendable {
    let outbox: String
    static let sender = "Carnet sandbox <no-reply@carnet-sandbox.invalid>"

    @discardableResult
    func send(to recipient: String, subject: String, body: String, kind: String) throws -> String {
        let ms = Time.nowMs()
        let id = RandomUUID.make()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let date = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        let encodedSubject = "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let message = """
            From: \(Mailer.sender)\r
            To: <\(recipient)>\r
            Subject: \(encodedSubject)\r
            Date: \(date)\r
            Message-ID: <\(id)@carnet-sandbox.invalid>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            X-Carnet-Kind: \(kind)\r
            \r
            \(body.replacingOccurrences(of: "\n", with: "\r\n"))\r

            """
        let name = String(format: "%013lld", ms) + "-\(id).eml"
        try Files.write(Data(message.utf8), to: outbox + "/" + name, mode: 0o600)
        return name
    }

    func sendShareCode(to recipient: String, code: String, pseudonyms: [String], reason: String) throws -> String {
        let list = pseudonyms.map { "  - \($0)" }.joined(separator: "\n")
        let body = """
            Bonjour,

            \(reason)

            Votre code de partage : \(code)

            Il ouvre les carnets de vaccination suivants :
            \(list)

            Communiquez ce code uniquement au professionnel de santé qui vous suit. Il lui sera demandé
            la date de naissance du titulaire du carnet.

            -- 
            Carnet sandbox (service de démonstration)
            """
        return try send(
            to: recipient, subject: "Votre code de partage de carnet de vaccination", body: body, kind: "share-code")
    }
}
