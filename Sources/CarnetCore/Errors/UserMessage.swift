/// What the doctor reads when something fails, in French by default.
///
/// A message may name a field or an option (host-side vocabulary) but never
/// carries a value the doctor or the patient typed: no names, dates, codes or
/// secrets, so messages are safe to log and to show.
public enum UserMessage: Sendable, Equatable {
    case missingArgument(String)
    case emptyArgument(String)
    case notUTF8(String)
    case argumentTooLong(String, maxBytes: Int)
    case invalidField(String, reason: FieldProblem)
    case unsupportedOptionsVersion(UInt32)
    case storeDirectoryUnusable
    case storeNewerThanLibrary(found: Int, supported: Int)
    case storageFailed
    case storageFull
    case storeLocked
    case cancelled
    case noLinkedCarnet
    // The professional's identity
    case identityDamaged
    case identitySecretWrong
    case identitySecretMissing
    case noCertificate
    case certificateExpired
    case certificateNotYetValid
    /// The background sync's warning: the certificate expires soon and how to renew it.
    case certificateExpiringSoon(daysLeft: Int)
    case pkcs12WrongPassword
    case pkcs12Legacy
    case pkcs12Malformed
    case pkcs12Incomplete
    case fileUnreadable(String)
    // The network and the service
    case serviceURLMissing
    case networkUnreachable
    case timeout
    case tls(TLSProblem)
    case credentialsRefused
    /// The service says the certificate was revoked: reinstalling it cannot help.
    case certificateRevoked
    /// The service does not know the certificate (another authority, or not registered).
    case certificateUnknown
    /// The service got no client certificate at all.
    case certificateMissing
    /// The service refused the creation of a carnet (not a vaccination).
    case recordRejected(Rejection)
    case serviceError(status: Int)
    case serviceUnavailable
    case rateLimited
    case protocolViolation(ProtocolProblem)
    // Answers of the service about what was asked
    case withdrawalCodeInvalid, withdrawalCodeUsed, withdrawalCodeExpired, withdrawalCodeLocked
    case shareCodeRejected, shareCodeLocked, resendTooSoon
    case accessRevoked, remoteNotFound, remoteDeleted, versionConflict
    case rejected(Rejection)
    // Documents the host passes
    case invalidJSON(String)
    case wrongResourceType(String, expected: String)
    case missingPatientField(String)
    case missingImmunizationField(String)
    case invalidDate(String)
    /// A birth or vaccination date after today (in the configured time zone).
    case dateInFuture(String)
    case unknownHostVaccination
    case alreadyLinked
    /// The host id is already recorded with other content: a correction goes through update.
    case recordedWithOtherContent
    /// A carnet creation whose answer did not come: it may exist; a retry creates nothing twice.
    case creationUnconfirmed
    /// A creation retried with other patient data after an answer was lost: it may exist already.
    case creationRetriedWithOtherData
    /// A NUVA release refused on import: the file at fault and why (no patient data in either).
    case catalogueRefused(french: String, english: String)
    /// A scanned box code that gives no product: what is wrong, in both languages.
    case boxUnreadable(french: String, english: String)
    /// An Immunization whose vaccine codings name no single French product (CIS): the candidates.
    case vaccineNotIdentified(candidates: [String])
    // The DMP vaccination note (docs/dmp.md): what the host's context or the recorded vaccination lacks.
    /// A member of `host_context_json` is missing (its JSON path).
    case noteFieldMissing(String)
    /// A member of `host_context_json` is malformed; what it should look like.
    case noteFieldInvalid(String, expected: NoteFieldFormat)
    /// The recorded Immunization lacks what the note requires (date, CIS coding, lot).
    case noteVaccinationIncomplete(String)
    /// The recorded route or site is outside the CI-SIS value set.
    case noteVaccinationOutsideValueSet(String)
    /// Neither the Immunization nor the catalogue gives the product's ATC code (or a vaccine ATC class).
    case noteProductWithoutATC
    /// The Immunization names a vaccinator other than the one the host's context describes.
    case noteVaccinatorMismatch
    case internalError(String)

    /// Why the service refused a record (HTTP 422 business rules).
    public enum Rejection: Sendable, Equatable {
        case dateInFuture, dateBeforeBirth, unknownVaccine, birthDateInFuture, duplicateIdentifier
        /// The generic codes carry the element the service named in the OperationOutcome's
        /// `expression` (a FHIRPath such as `Immunization.lotNumber`), when it named one.
        case missingElement(String?), invalidValue(String?), other(String?)

        /// The FHIR element the rule is about: from the detail code, else the service's
        /// `expression`.
        public var field: String? {
            switch self {
            case .dateInFuture, .dateBeforeBirth: return "occurrenceDateTime"
            case .unknownVaccine: return "vaccineCode"
            case .birthDateInFuture: return "birthDate"
            case .duplicateIdentifier: return "identifier[0].value"
            case .missingElement(let element), .invalidValue(let element), .other(let element): return element
            }
        }
    }

    /// Why a secure connection was refused, as far as it can be told.
    public enum TLSProblem: Sendable, Equatable {
        case serverCertificateExpired, serverCertificateNotYetValid, wrongHost, untrusted, revoked
        case weakCertificate, weakProtocol, pinMismatch, caBundleUnreadable, crlUnreadable, other
        /// Self-signed leaf; unknown issuer or missing intermediate; CRL missing or stale for a CA level;
        /// a signature made with a weak digest (SHA-1); no forward-secret cipher offered.
        case selfSigned, incompleteChain, revocationUnknown, weakSignature, weakCipher
    }

    /// How the service's answer broke the protocol.
    public enum ProtocolProblem: Sendable, Equatable {
        case malformedJSON, wrongContentType, tooLarge, wrongResourceType, redirect, unexpectedStatus
    }

    /// The shape a member of the DMP note's context must have (named in the message, never quoted).
    public enum NoteFieldFormat: Sendable, Equatable {
        case text, oid, oidOrUUID, instanceID, codedConcept, code, version, dateTime, date
        case insNumber, insOID, rpps, structureID
        case oneOf([String])

        var french: String {
            switch self {
            case .text: return "un texte non vide sans caractère de contrôle (256 octets au plus)"
            case .oid: return "un OID (chiffres séparés par des points)"
            case .oidOrUUID: return "un OID ou un UUID"
            case .instanceID: return "un objet { \"root\", \"extension\" }"
            case .codedConcept: return "un objet { \"code\", \"system\" (OID), \"display\" }"
            case .code: return "un code sans espace"
            case .version: return "un entier de 1 à 999999"
            case .dateTime: return "une date et heure avec fuseau (AAAA-MM-JJThh:mm[:ss]±hh:mm)"
            case .date: return "une date AAAA-MM-JJ"
            case .insNumber: return "un matricule INS de 15 caractères dont la clé est juste"
            case .insOID: return "l'OID d'une autorité d'affectation de l'INS (1.2.250.1.213.1.4.8, .9, .10 ou .11)"
            case .rpps: return "un numéro RPPS de 11 chiffres"
            case .structureID: return "un identifiant national de structure (lettres et chiffres)"
            case .oneOf(let values): return "l'une des valeurs " + values.joined(separator: ", ")
            }
        }

        var english: String {
            switch self {
            case .text: return "a non-empty text without control characters (at most 256 bytes)"
            case .oid: return "an OID (digits separated by dots)"
            case .oidOrUUID: return "an OID or a UUID"
            case .instanceID: return "an object { \"root\", \"extension\" }"
            case .codedConcept: return "an object { \"code\", \"system\" (OID), \"display\" }"
            case .code: return "a code without spaces"
            case .version: return "an integer from 1 to 999999"
            case .dateTime: return "a date and time with its offset (YYYY-MM-DDThh:mm[:ss]±hh:mm)"
            case .date: return "a date YYYY-MM-DD"
            case .insNumber: return "a 15-character INS number with a correct key"
            case .insOID: return "the OID of an INS assigning authority (1.2.250.1.213.1.4.8, .9, .10 or .11)"
            case .rpps: return "an 11-digit RPPS number"
            case .structureID: return "a national structure identifier (letters and digits)"
            case .oneOf(let values): return "one of " + values.joined(separator: ", ")
            }
        }
    }

    public enum FieldProblem: Sendable, Equatable {
        case notHTTPSURL
        case notUUID
        case outOfRange
        case unknownValue
    }

    public func text(_ locale: Locale) -> String {
        switch locale {
        case .french: return french
        case .english: return english
        }
    }

    public enum Locale: Sendable {
        case french, english
    }

    /// The input at fault, by name only: a C argument or `carnet_options` member
    /// (`patient_id`, `service_url`), or an element of a FHIR document the host
    /// passed (`name.family`, `identifier[0].value`, `vaccineCode`). The C
    /// boundary copies it into `carnet_error.field` so a host can focus the right
    /// input without parsing the sentence. Every name here is a literal of
    /// Carnet's code, never a value the doctor or the patient typed. nil when
    /// the message is not about one input.
    public var field: String? {
        switch self {
        case .missingArgument(let name), .emptyArgument(let name), .notUTF8(let name),
            .argumentTooLong(let name, _), .invalidField(let name, _), .fileUnreadable(let name),
            .invalidJSON(let name), .wrongResourceType(let name, _), .missingPatientField(let name),
            .missingImmunizationField(let name), .invalidDate(let name), .dateInFuture(let name):
            return name
        case .catalogueRefused: return "directory"
        case .boxUnreadable: return "scanned"
        case .vaccineNotIdentified: return "vaccineCode.coding"
        case .noteFieldMissing(let name), .noteFieldInvalid(let name, _), .noteVaccinationIncomplete(let name),
            .noteVaccinationOutsideValueSet(let name):
            return name
        case .noteProductWithoutATC: return "vaccineCode.coding"
        case .noteVaccinatorMismatch: return "vaccinator.rpps"
        case .unsupportedOptionsVersion: return "version"
        case .serviceURLMissing: return "service_url"
        case .pkcs12Malformed: return "path"
        case .rejected(let reason), .recordRejected(let reason): return reason.field
        default: return nil
        }
    }

    var french: String {
        switch self {
        case .missingArgument(let name): return "Paramètre manquant : « \(name) »."
        case .emptyArgument(let name): return "Le paramètre « \(name) » est vide."
        case .notUTF8(let name): return "Le paramètre « \(name) » n'est pas un texte UTF-8 valide."
        case .argumentTooLong(let name, let max):
            return "Le paramètre « \(name) » est trop long (\(max) octets au maximum)."
        case .invalidField(let name, .notHTTPSURL):
            return "Le paramètre « \(name) » doit être une adresse https:// valide."
        case .invalidField(let name, .notUUID):
            return "Le paramètre « \(name) » doit être un identifiant de carnet (UUID)."
        case .invalidField(let name, .outOfRange):
            return "La valeur du paramètre « \(name) » est hors des limites admises."
        case .invalidField(let name, .unknownValue):
            return "La valeur du paramètre « \(name) » n'est pas reconnue."
        case .unsupportedOptionsVersion(let v):
            return "Version des options non prise en charge (\(v)) : mettez à jour Carnet ou votre logiciel."
        case .storeDirectoryUnusable:
            return """
                Le dossier de stockage local de Carnet est inaccessible. Vérifiez qu'il existe et que vous avez le \
                droit d'y écrire.
                """
        case .storeNewerThanLibrary(let found, let supported):
            return """
                Les données locales de Carnet ont été créées par une version plus récente (schéma \(found), cette \
                version connaît \(supported)). Mettez Carnet à jour.
                """
        case .storageFailed:
            return "Les données locales de Carnet n'ont pas pu être lues ou enregistrées."
        case .storageFull:
            return "Le disque est plein : Carnet ne peut rien enregistrer. Libérez de la place puis réessayez."
        case .storeLocked:
            return "Les données locales de Carnet sont utilisées par un autre programme. Réessayez dans un instant."
        case .cancelled:
            return "L'opération a été annulée."
        case .noLinkedCarnet:
            return "Aucun carnet de vaccination électronique n'est associé à ce patient."
        case .identityDamaged:
            return "Le certificat enregistré par Carnet est illisible ou endommagé. Réinstallez votre certificat."
        case .identitySecretWrong:
            return "Le secret qui protège votre clé privée est incorrect : la clé ne peut pas être déverrouillée."
        case .identitySecretMissing:
            return "Aucun secret n'a été fourni pour protéger la clé privée du certificat (option « identity_secret »)."
        case .noCertificate:
            return """
                Aucun certificat n'est installé. Récupérez votre certificat avec le code de retrait fourni par le \
                service.
                """
        case .certificateExpired:
            return "Votre certificat a expiré. Demandez un nouveau code de retrait au service pour le renouveler."
        case .certificateExpiringSoon(let days):
            return """
                Votre certificat professionnel expire dans \(days) jour(s). Renouvelez-le dès maintenant depuis \
                votre logiciel (renouvellement du certificat) : aucun code de retrait n'est nécessaire tant qu'il \
                est valide ; une fois expiré, il faudra en demander un nouveau au service.
                """
        case .certificateNotYetValid:
            return "Votre certificat n'est pas encore valide. Vérifiez la date et l'heure de cet ordinateur."
        case .pkcs12WrongPassword:
            return "Le mot de passe du fichier de certificat est incorrect."
        case .pkcs12Legacy:
            return """
                Ce fichier de certificat utilise un ancien chiffrement qui n'est plus accepté. Demandez un export \
                récent (AES-256).
                """
        case .pkcs12Malformed:
            return "Ce fichier n'est pas un fichier de certificat PKCS#12 valide."
        case .pkcs12Incomplete:
            return "Ce fichier de certificat ne contient pas à la fois le certificat et sa clé privée."
        case .fileUnreadable(let name):
            return "Le fichier indiqué par « \(name) » est introuvable ou illisible."
        case .serviceURLMissing:
            return "L'adresse du service de carnet de vaccination n'est pas configurée (option « service_url »)."
        case .networkUnreachable:
            return """
                Le service de carnet de vaccination est injoignable. Vérifiez la connexion Internet ; les vaccinations \
                enregistrées seront envoyées plus tard.
                """
        case .timeout:
            return "Le service de carnet de vaccination ne répond pas à temps. Réessayez dans quelques instants."
        case .tls(let problem):
            return "Connexion sécurisée refusée : " + problem.french
        case .credentialsRefused:
            return """
                Le service a refusé votre certificat professionnel (absent, expiré ou révoqué). Réinstallez votre \
                certificat.
                """
        case .certificateRevoked:
            return """
                Votre certificat professionnel a été révoqué : le réinstaller ne suffit pas. Demandez un nouveau \
                code de retrait à votre service de carnet de vaccination, puis activez le nouveau certificat.
                """
        case .certificateUnknown:
            return """
                Le service ne reconnaît pas votre certificat professionnel (délivré par une autre autorité, ou \
                pour un autre service). Installez le certificat délivré par ce service.
                """
        case .certificateMissing:
            return """
                Aucun certificat professionnel n'a été présenté au service. Installez votre certificat (code de \
                retrait ou fichier PKCS#12).
                """
        case .recordRejected(let reason): return "Le service a refusé la création du carnet : " + reason.french
        case .serviceError(let status):
            return "Le service de carnet de vaccination a répondu par une erreur (HTTP \(status))."
        case .serviceUnavailable:
            return """
                Le service de carnet de vaccination est momentanément indisponible. Carnet réessaiera automatiquement.
                """
        case .rateLimited:
            return "Trop de demandes envoyées au service : réessayez dans quelques instants."
        case .protocolViolation(let problem):
            return "Réponse invalide du service de carnet de vaccination (" + problem.french + ")."
        case .withdrawalCodeInvalid: return "Code de retrait invalide. Vérifiez le code fourni par le service."
        case .withdrawalCodeUsed: return "Ce code de retrait a déjà été utilisé. Demandez un nouveau code au service."
        case .withdrawalCodeExpired: return "Ce code de retrait a expiré. Demandez un nouveau code au service."
        case .withdrawalCodeLocked: return "Trop d'essais de code de retrait : réessayez plus tard."
        case .shareCodeRejected:
            return """
                Accès refusé : le code de partage ou la date de naissance du titulaire ne correspond pas. Vérifiez-les \
                avec le patient.
                """
        case .shareCodeLocked:
            return """
                Trop d'essais avec ce code de partage : il est bloqué pendant quelques minutes. Réessayez plus tard.
                """
        case .resendTooSoon: return "Le code de partage vient déjà d'être renvoyé. Réessayez plus tard."
        case .accessRevoked:
            return "Le patient a retiré votre accès à ce carnet : il n'est plus modifiable depuis votre logiciel."
        case .remoteNotFound:
            return "Ce carnet ou cette vaccination n'existe pas sur le service, ou vous n'y avez pas accès."
        case .remoteDeleted: return "Ce carnet ou cette vaccination a été supprimé du service."
        case .versionConflict:
            return """
                Cette vaccination a été modifiée entre-temps sur le service. Synchronisez puis réessayez.
                """
        case .rejected(let reason): return "Le service a refusé cette vaccination : " + reason.french
        case .invalidJSON(let name): return "Le document JSON « \(name) » est mal formé."
        case .wrongResourceType(let name, let expected):
            return "Le document « \(name) » doit être une ressource FHIR \(expected)."
        case .missingPatientField(let field):
            return "Information manquante pour créer le carnet : « \(field) ». Complétez la fiche du patient."
        case .missingImmunizationField(let field):
            return "Information manquante pour la vaccination : « \(field) »."
        case .invalidDate(let field): return "La date « \(field) » n'est pas une date valide (AAAA-MM-JJ)."
        case .dateInFuture(let field):
            return "La date « \(field) » est postérieure à aujourd'hui : rien n'a été enregistré. Corrigez la date."
        case .unknownHostVaccination: return "Cette vaccination n'est pas connue de Carnet pour ce patient."
        case .recordedWithOtherContent:
            return """
                Cette vaccination est déjà enregistrée avec un autre contenu : rien n'a été changé. Pour la \
                corriger, utilisez la modification de la vaccination.
                """
        case .creationUnconfirmed:
            return """
                Le service n'a pas répondu : le carnet a peut-être été créé. Réessayez : il ne sera pas créé \
                deux fois et le patient ne recevra pas un second courriel.
                """
        case .catalogueRefused(let french, _):
            return "La mise à jour du catalogue des vaccins est refusée, le catalogue en usage est inchangé : " + french
        case .boxUnreadable(let french, _): return "Code de la boîte illisible : " + french
        case .vaccineNotIdentified(let candidates):
            let list = candidates.isEmpty ? "" : " Produits possibles : " + candidates.prefix(5).joined(separator: ", ") + "."
            return "Le vaccin n'est pas identifié par un code CIS (« vaccineCode.coding »)." + list
                + " Choisissez le produit dans le catalogue."
        case .creationRetriedWithOtherData:
            return """
                Une création de carnet restée sans réponse a été relancée avec d'autres informations : le carnet \
                existe peut-être déjà. Vérifiez avec le patient (code de partage) avant de recommencer.
                """
        case .alreadyLinked:
            return """
                Un carnet de vaccination électronique est déjà associé à ce patient. Dissociez-le d'abord pour en \
                choisir un autre.
                """
        case .noteFieldMissing(let name):
            return "Information manquante pour la note de vaccination DMP : « \(name) »."
        case .noteFieldInvalid(let name, let expected):
            return "Pour la note de vaccination DMP, « \(name) » doit être " + expected.french + "."
        case .noteVaccinationIncomplete(let name):
            return """
                La vaccination enregistrée ne contient pas ce que la note de vaccination DMP exige : « \(name) ». \
                Complétez-la (carnet_vaccination_update) puis réessayez.
                """
        case .noteVaccinationOutsideValueSet(let name):
            return """
                La valeur de « \(name) » de la vaccination enregistrée n'appartient pas au jeu de valeurs du CI-SIS : \
                la note de vaccination DMP ne peut pas la transmettre. Corrigez la vaccination.
                """
        case .noteProductWithoutATC:
            return """
                Le code ATC du vaccin n'est pas connu (« vaccineCode.coding ») : la note de vaccination DMP l'exige. \
                Ajoutez un codage ATC à la vaccination.
                """
        case .noteVaccinatorMismatch:
            return """
                Le vaccinateur décrit pour la note (« vaccinator.rpps ») n'est pas celui de la vaccination enregistrée.
                """
        case .internalError:
            return "Erreur interne de Carnet. Merci de la signaler à votre éditeur avec le journal."
        }
    }

    var english: String {
        switch self {
        case .missingArgument(let name): return "Missing argument: \"\(name)\"."
        case .emptyArgument(let name): return "Argument \"\(name)\" is empty."
        case .notUTF8(let name): return "Argument \"\(name)\" is not valid UTF-8 text."
        case .argumentTooLong(let name, let max): return "Argument \"\(name)\" is too long (at most \(max) bytes)."
        case .invalidField(let name, .notHTTPSURL): return "Argument \"\(name)\" must be a valid https:// URL."
        case .invalidField(let name, .notUUID): return "Argument \"\(name)\" must be a carnet id (UUID)."
        case .invalidField(let name, .outOfRange): return "Argument \"\(name)\" is out of range."
        case .invalidField(let name, .unknownValue): return "Argument \"\(name)\" has an unknown value."
        case .unsupportedOptionsVersion(let v):
            return "Unsupported options version (\(v)): update Carnet or your software."
        case .storeDirectoryUnusable:
            return "Carnet's local store directory cannot be used. Check that it exists and is writable."
        case .storeNewerThanLibrary(let found, let supported):
            return """
                Carnet's local data was written by a newer version (schema \(found), this version knows \(supported)). \
                Update Carnet.
                """
        case .storageFailed: return "Carnet's local data could not be read or written."
        case .storageFull: return "The disk is full: Carnet cannot save anything. Free some space and try again."
        case .storeLocked: return "Carnet's local data is in use by another program. Try again in a moment."
        case .cancelled: return "The operation was cancelled."
        case .noLinkedCarnet: return "No electronic vaccination record is linked to this patient."
        case .identityDamaged:
            return """
                The certificate stored by Carnet is unreadable or damaged. Reinstall your certificate.
                """
        case .identitySecretWrong: return "The secret protecting your private key is wrong: the key cannot be unlocked."
        case .identitySecretMissing:
            return """
                No secret was given to protect the certificate's private key (option \"identity_secret\").
                """
        case .noCertificate:
            return """
                No certificate is installed. Retrieve your certificate with the withdrawal code from the service.
                """
        case .certificateExpiringSoon(let days):
            return """
                Your professional certificate expires in \(days) day(s). Renew it now from your software \
                (certificate renewal): no withdrawal code is needed while it is valid; once it has expired, \
                you will need a new one from the service.
                """
        case .certificateExpired:
            return """
                Your certificate has expired. Ask the service for a new withdrawal code to renew it.
                """
        case .certificateNotYetValid: return "Your certificate is not valid yet. Check this computer's date and time."
        case .pkcs12WrongPassword: return "The certificate file's password is wrong."
        case .pkcs12Legacy:
            return """
                This certificate file uses an old encryption that is no longer accepted. Ask for a recent (AES-256) \
                export.
                """
        case .pkcs12Malformed: return "This file is not a valid PKCS#12 certificate file."
        case .pkcs12Incomplete: return "This certificate file does not hold both the certificate and its private key."
        case .fileUnreadable(let name): return "The file given by \"\(name)\" is missing or unreadable."
        case .serviceURLMissing:
            return """
                The vaccination record service's address is not configured (option \"service_url\").
                """
        case .networkUnreachable:
            return """
                The vaccination record service cannot be reached. Check the Internet connection; recorded vaccinations \
                will be sent later.
                """
        case .timeout: return "The vaccination record service did not answer in time. Try again in a moment."
        case .tls(let problem): return "Secure connection refused: " + problem.english
        case .credentialsRefused:
            return """
                The service refused your professional certificate (missing, expired or revoked). Reinstall your \
                certificate.
                """
        case .certificateRevoked:
            return """
                Your professional certificate was revoked: reinstalling it will not help. Ask your vaccination \
                record service for a new withdrawal code, then activate the new certificate.
                """
        case .certificateUnknown:
            return """
                The service does not recognise your professional certificate (issued by another authority, or \
                for another service). Install the certificate this service issued.
                """
        case .certificateMissing:
            return """
                No professional certificate was presented to the service. Install your certificate (withdrawal \
                code or PKCS#12 file).
                """
        case .recordRejected(let reason): return "The service refused to create the record: " + reason.english
        case .serviceError(let status): return "The vaccination record service answered with an error (HTTP \(status))."
        case .serviceUnavailable:
            return """
                The vaccination record service is temporarily unavailable. Carnet will retry automatically.
                """
        case .rateLimited: return "Too many requests sent to the service: try again in a moment."
        case .protocolViolation(let problem):
            return "Invalid answer from the vaccination record service (" + problem.english + ")."
        case .withdrawalCodeInvalid: return "Invalid withdrawal code. Check the code given by the service."
        case .withdrawalCodeUsed: return "This withdrawal code has already been used. Ask the service for a new one."
        case .withdrawalCodeExpired: return "This withdrawal code has expired. Ask the service for a new one."
        case .withdrawalCodeLocked: return "Too many withdrawal code attempts: try again later."
        case .shareCodeRejected:
            return """
                Access denied: the share code or the holder's birth date does not match. Check them with the patient.
                """
        case .shareCodeLocked:
            return """
                Too many attempts with this share code: it is locked for a few minutes. Try again later.
                """
        case .resendTooSoon: return "The share code was just resent. Try again later."
        case .accessRevoked:
            return """
                The patient withdrew your access to this record: it can no longer be changed from your software.
                """
        case .remoteNotFound:
            return """
                This record or vaccination does not exist on the service, or you have no access to it.
                """
        case .remoteDeleted: return "This record or vaccination was deleted from the service."
        case .versionConflict:
            return """
                This vaccination was changed on the service meanwhile. Synchronise and try again.
                """
        case .rejected(let reason): return "The service refused this vaccination: " + reason.english
        case .invalidJSON(let name): return "The JSON document \"\(name)\" is malformed."
        case .wrongResourceType(let name, let expected):
            return """
                The document \"\(name)\" must be a FHIR \(expected) resource.
                """
        case .missingPatientField(let field):
            return """
                Missing information to create the record: \"\(field)\". Complete the patient's file.
                """
        case .missingImmunizationField(let field): return "Missing information for the vaccination: \"\(field)\"."
        case .invalidDate(let field): return "The date \"\(field)\" is not a valid date (YYYY-MM-DD)."
        case .dateInFuture(let field): return "The date \"\(field)\" is after today: nothing was recorded. Correct the date."
        case .unknownHostVaccination: return "Carnet does not know this vaccination for this patient."
        case .recordedWithOtherContent:
            return """
                This vaccination is already recorded with other content: nothing was changed. To correct it, \
                edit the vaccination instead.
                """
        case .creationUnconfirmed:
            return """
                The service did not answer: the record may have been created. Try again: it will not be created \
                twice and the patient will not get a second email.
                """
        case .catalogueRefused(_, let english):
            return "The vaccine catalogue update is refused, the catalogue in use is unchanged: " + english
        case .boxUnreadable(_, let english): return "Unreadable box code: " + english
        case .vaccineNotIdentified(let candidates):
            let list = candidates.isEmpty ? "" : " Possible products: " + candidates.prefix(5).joined(separator: ", ") + "."
            return "The vaccine is not identified by a CIS code (\"vaccineCode.coding\")." + list
                + " Choose the product in the catalogue."
        case .creationRetriedWithOtherData:
            return """
                A record creation left without an answer was retried with other data: the record may already \
                exist. Check with the patient (share code) before trying again.
                """
        case .alreadyLinked:
            return """
                An electronic vaccination record is already linked to this patient. Unlink it first to choose another.
                """
        case .noteFieldMissing(let name): return "Missing information for the DMP vaccination note: \"\(name)\"."
        case .noteFieldInvalid(let name, let expected):
            return "For the DMP vaccination note, \"\(name)\" must be " + expected.english + "."
        case .noteVaccinationIncomplete(let name):
            return """
                The recorded vaccination lacks what the DMP vaccination note requires: "\(name)". Complete it \
                (carnet_vaccination_update) and try again.
                """
        case .noteVaccinationOutsideValueSet(let name):
            return """
                The value of "\(name)" of the recorded vaccination is not in the CI-SIS value set: the DMP \
                vaccination note cannot carry it. Correct the vaccination.
                """
        case .noteProductWithoutATC:
            return """
                The vaccine's ATC code is unknown ("vaccineCode.coding"): the DMP vaccination note requires it. Add \
                an ATC coding to the vaccination.
                """
        case .noteVaccinatorMismatch:
            return "The vaccinator described for the note (\"vaccinator.rpps\") is not the recorded vaccination's."
        case .internalError: return "Internal Carnet error. Please report it to your software vendor with the log."
        }
    }
}

extension UserMessage.TLSProblem {
    var french: String {
        switch self {
        case .serverCertificateExpired:
            return """
                le certificat du service a expiré. Vérifiez la date de cet ordinateur ; si elle est juste, prévenez le \
                support du service.
                """
        case .serverCertificateNotYetValid:
            return "le certificat du service n'est pas encore valide. Vérifiez la date et l'heure de cet ordinateur."
        case .wrongHost:
            return """
                le certificat présenté ne porte pas le nom de ce service dans ses noms alternatifs (subjectAltName). \
                Vérifiez l'adresse du service configurée ; sinon la connexion est peut-être interceptée : prévenez \
                votre support informatique.
                """
        case .selfSigned:
            return """
                le service présente un certificat auto-signé, qui ne prouve pas son identité. La connexion est \
                peut-être interceptée : prévenez votre support informatique.
                """
        case .untrusted:
            return """
                le certificat du service n'est pas émis par une autorité de confiance. Vérifiez le fichier des \
                autorités (« ca_bundle_path ») ou prévenez votre support informatique.
                """
        case .incompleteChain:
            return """
                le certificat du service n'a pu être relié à aucune autorité de confiance (autorité inconnue, ou \
                chaîne de certification incomplète envoyée par le service). Prévenez votre support informatique.
                """
        case .revoked:
            return "le certificat du service a été révoqué. Ne continuez pas et prévenez le support du service."
        case .revocationUnknown:
            return """
                la révocation du certificat du service n'a pas pu être vérifiée (liste de révocation absente, périmée \
                ou d'une autre autorité dans « crl_path »). Mettez ce fichier à jour.
                """
        case .weakCertificate:
            return """
                le certificat du service utilise une clé trop faible (RSA de moins de 2048 bits). Prévenez le support \
                du service.
                """
        case .weakSignature:
            return "le certificat du service porte une signature trop faible (SHA-1). Prévenez le support du service."
        case .weakProtocol:
            return """
                le service n'accepte qu'un protocole obsolète (TLS 1.0 ou 1.1 ; Carnet exige TLS 1.2 au moins). \
                Prévenez le support du service.
                """
        case .weakCipher:
            return """
                le service ne propose aucun chiffrement accepté par Carnet (confidentialité persistante ECDHE exigée). \
                Prévenez le support du service.
                """
        case .pinMismatch:
            return """
                la clé du service ne correspond pas à la clé épinglée dans la configuration (« pinned_public_key »). \
                La connexion est peut-être interceptée : prévenez votre support informatique.
                """
        case .caBundleUnreadable: return "le fichier des autorités de certification (« ca_bundle_path ») est illisible."
        case .crlUnreadable: return "le fichier des listes de révocation (« crl_path ») est illisible."
        case .other: return "la négociation sécurisée avec le service a échoué."
        }
    }

    var english: String {
        switch self {
        case .serverCertificateExpired:
            return """
                the service's certificate has expired. Check this computer's date; if it is right, tell the service's \
                support.
                """
        case .serverCertificateNotYetValid:
            return """
                the service's certificate is not valid yet. Check this computer's date and time.
                """
        case .wrongHost:
            return """
                the certificate presented does not carry this service's name in its subject alternative names. Check \
                the configured service address; otherwise the connection may be intercepted: tell your IT support.
                """
        case .selfSigned:
            return """
                the service presents a self-signed certificate, which does not prove its identity. The connection may \
                be intercepted: tell your IT support.
                """
        case .untrusted:
            return """
                the service's certificate is not issued by a trusted authority. Check the authorities file \
                (\"ca_bundle_path\") or tell your IT support.
                """
        case .incompleteChain:
            return """
                the service's certificate could not be linked to a trusted authority (unknown authority, or incomplete \
                certificate chain sent by the service). Tell your IT support.
                """
        case .revoked: return "the service's certificate has been revoked. Do not continue; tell the service's support."
        case .revocationUnknown:
            return """
                the revocation of the service's certificate could not be checked (revocation list missing, outdated or \
                from another authority in \"crl_path\"). Update that file.
                """
        case .weakCertificate:
            return """
                the service's certificate uses a key that is too weak (RSA under 2048 bits). Tell the service's \
                support.
                """
        case .weakSignature:
            return """
                the service's certificate carries a signature that is too weak (SHA-1). Tell the service's support.
                """
        case .weakProtocol:
            return """
                the service only accepts an obsolete protocol (TLS 1.0 or 1.1; Carnet requires TLS 1.2 at least). Tell \
                the service's support.
                """
        case .weakCipher:
            return """
                the service offers no cipher Carnet accepts (forward secrecy with ECDHE is required). Tell the \
                service's support.
                """
        case .pinMismatch:
            return """
                the service's key does not match the key pinned in the configuration (\"pinned_public_key\"). The \
                connection may be intercepted: tell your IT support.
                """
        case .caBundleUnreadable: return "the certification authorities file (\"ca_bundle_path\") is unreadable."
        case .crlUnreadable: return "the revocation lists file (\"crl_path\") is unreadable."
        case .other: return "the secure negotiation with the service failed."
        }
    }
}

extension UserMessage.ProtocolProblem {
    var french: String {
        switch self {
        case .malformedJSON: return "document JSON mal formé"
        case .wrongContentType: return "type de contenu inattendu"
        case .tooLarge: return "réponse trop volumineuse"
        case .wrongResourceType: return "type de ressource inattendu"
        case .redirect: return "redirection refusée"
        case .unexpectedStatus: return "statut inattendu"
        }
    }

    var english: String {
        switch self {
        case .malformedJSON: return "malformed JSON document"
        case .wrongContentType: return "unexpected content type"
        case .tooLarge: return "answer too large"
        case .wrongResourceType: return "unexpected resource type"
        case .redirect: return "redirect refused"
        case .unexpectedStatus: return "unexpected status"
        }
    }
}

extension UserMessage.Rejection {
    var french: String {
        switch self {
        case .dateInFuture: return "la date de vaccination est dans le futur."
        case .dateBeforeBirth: return "la date de vaccination précède la date de naissance."
        case .unknownVaccine: return "le vaccin n'est pas reconnu (code CIS inconnu)."
        case .missingElement(let element):
            return "une information obligatoire manque" + Self.named(element, french: true) + "."
        case .invalidValue(let element):
            return "une valeur n'est pas valide" + Self.named(element, french: true) + "."
        case .birthDateInFuture: return "la date de naissance est dans le futur."
        case .duplicateIdentifier: return "cet identifiant de vaccination est déjà utilisé."
        case .other(let element): return "règle du service non respectée" + Self.named(element, french: true) + "."
        }
    }

    var english: String {
        switch self {
        case .dateInFuture: return "the vaccination date is in the future."
        case .dateBeforeBirth: return "the vaccination date is before the birth date."
        case .unknownVaccine: return "the vaccine is not recognised (unknown CIS code)."
        case .missingElement(let element):
            return "a required element is missing" + Self.named(element, french: false) + "."
        case .invalidValue(let element): return "a value is not valid" + Self.named(element, french: false) + "."
        case .birthDateInFuture: return "the birth date is in the future."
        case .duplicateIdentifier: return "this vaccination identifier is already used."
        case .other(let element): return "a service rule was not met" + Self.named(element, french: false) + "."
        }
    }

    /// " : le numéro de lot (Immunization.lotNumber)": the element in the doctor's words when it
    /// is one of the usual ones, always with its FHIR path for the developer.
    private static func named(_ element: String?, french: Bool) -> String {
        guard let element else { return "" }
        let last = element.split(separator: ".").dropFirst().first.map {
            String($0.prefix { $0.isLetter })
        } ?? ""
        let words = (french ? frenchWords : englishWords)[last]
        return (french ? " : " : ": ") + (words.map { $0 + " (" + element + ")" } ?? element)
    }

    private static let frenchWords: [String: String] = [
        "lotNumber": "le numéro de lot", "occurrenceDateTime": "la date de vaccination",
        "vaccineCode": "le vaccin", "site": "le site d'injection", "route": "la voie d'administration",
        "doseQuantity": "la dose", "performer": "le vaccinateur", "expirationDate": "la date de péremption",
        "protocolApplied": "le rang de la dose", "patient": "le patient", "status": "le statut",
        "name": "le nom", "birthDate": "la date de naissance", "gender": "le sexe", "telecom": "l'adresse email",
    ]
    private static let englishWords: [String: String] = [
        "lotNumber": "the lot number", "occurrenceDateTime": "the vaccination date", "vaccineCode": "the vaccine",
        "site": "the injection site", "route": "the route", "doseQuantity": "the dose",
        "performer": "the vaccinator", "expirationDate": "the expiry date", "protocolApplied": "the dose number",
        "patient": "the patient", "status": "the status", "name": "the name", "birthDate": "the birth date",
        "gender": "the sex", "telecom": "the email address",
    ]
}
