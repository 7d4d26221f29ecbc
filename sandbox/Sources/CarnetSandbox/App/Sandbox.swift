// Everything a process of the sandbox needs, built from its data directory: the server and every
// admin or citizen subcommand open the same pieces.

/// Everything a process needs, built from the data directory (server and subcommands alike).
struct Sandbox {
    let paths: DataPaths
    let log: EventLog
    let store: Store
    let ca: CertificateAuthority
    let records: RecordService
    let professionals: ProfessionalService

    /// `vaccines` is the root package's catalogue unless a test supplies another lookup.
    init(dataDirectory: String, log: EventLog, vaccines: any VaccineLookup = Catalogue.load()) throws {
        paths = DataPaths(root: dataDirectory)
        try paths.prepare()
        self.log = log
        store = try Store(path: paths.database)
        ca = try CertificateAuthority.loadOrCreate(in: paths)
        let keyed = Keyed(secret: try paths.loadOrCreateSecret())
        records = RecordService(
            store: store, mailer: Mailer(outbox: paths.outbox), keyed: keyed, vaccines: vaccines,
            log: log)
        professionals = ProfessionalService(store: store, ca: ca, keyed: keyed, log: log)
    }
}
