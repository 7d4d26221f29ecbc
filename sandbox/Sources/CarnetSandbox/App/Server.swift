// The server: both listeners (routes from SandboxRouters) in one ServiceGroup
// that shuts down gracefully on SIGTERM/SIGINT.
//
//   FHIR listener (default 127.0.0.1:8443): TLS 1.2+, ECDHE only, client certificate REQUIRED
//     (verified against the sandbox CA during the handshake). Every route lives here.
//   Enrollment listener (default 127.0.0.1:8444): TLS, no client certificate; serves only
//     /.well-known/est/cacerts, /.well-known/est/simpleenroll and /crl. Nothing else can be
//     reached without a certificate, by construction.

import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

struct ServerOptions {
    var host = "127.0.0.1"
    var port = 8443
    var enrollmentHost = "127.0.0.1"
    var enrollmentPort = 8444
    var requestsPerMinute = 600
    var shareCodePolicy = ShareCodePolicy()
    var withdrawalPolicy = WithdrawalPolicy()
    /// `POST /fhir` batch Bundles, declared in the CapabilityStatement (`serve --no-batch`: a
    /// service that has none, for the benchmarks' single-request runs and the clients' fallback).
    var batch = true
}

/// Writes server.json once both listeners are bound (their real ports, for port 0).
actor ReadyFile {
    let path: String
    var ports: [String: Int] = [:]
    init(path: String) { self.path = path }

    func bound(_ name: String, port: Int) {
        ports[name] = port
        guard let fhir = ports["fhir"], let enrollment = ports["enrollment"] else { return }
        let info: JSONValue = [
            "pid": .int(Int(getpid())),
            "fhir_port": .int(fhir),
            "enrollment_port": .int(enrollment),
        ]
        try? Files.write(info.serialized() + "\n", to: path)
    }
}

enum Server {
    static func tlsConfiguration(paths: DataPaths, requireClientCertificate: Bool) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(paths.serverCert).map { NIOSSLCertificateSource.certificate($0) }
        let keyPEM = try String(contentsOfFile: paths.serverKey, encoding: .utf8)
        let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        // TLS 1.2: ECDHE (forward secret) with AEAD only; TLS 1.3 suites are all forward secret.
        tls.cipherSuites = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(paths.caCert))
            tls.sendCANameList = true
        } else {
            tls.certificateVerification = .none
        }
        return tls
    }

    static func run(sandbox: Sandbox, options: ServerOptions, logLevel: Logger.Level) async throws {
        var logger = Logger(label: "carnet-sandbox")
        logger.logLevel = logLevel
        try? FileManager.default.removeItem(atPath: sandbox.paths.readyFile)
        let ready = ReadyFile(path: sandbox.paths.readyFile)
        // Idle connections (including a client that stops sending mid-request) are closed after 60 s.
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(60))
        let routers = SandboxRouters(sandbox: sandbox, options: options, certificates: .tlsPeer)

        let fhirTLS = try tlsConfiguration(paths: sandbox.paths, requireClientCertificate: true)
        let enrollmentTLS = try tlsConfiguration(paths: sandbox.paths, requireClientCertificate: false)
        let fhirApp = Application(
            router: routers.fhir,
            server: try .tls(.http1(configuration: http1), tlsConfiguration: fhirTLS),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in await ready.bound("fhir", port: channel.localAddress?.port ?? 0) },
            logger: logger)
        let enrollmentApp = Application(
            router: routers.enrollment,
            server: try .tls(.http1(configuration: http1), tlsConfiguration: enrollmentTLS),
            configuration: .init(
                address: .hostname(options.enrollmentHost, port: options.enrollmentPort), serverName: nil),
            onServerRunning: { channel in await ready.bound("enrollment", port: channel.localAddress?.port ?? 0) },
            logger: logger)

        let group = ServiceGroup(
            configuration: .init(
                services: [fhirApp, enrollmentApp], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        sandbox.log.log(
            .info, "server.starting",
            [
                ("fhir", .string("\(options.host):\(options.port)")),
                ("enrollment", .string("\(options.enrollmentHost):\(options.enrollmentPort)")),
            ])
        try await group.run()
        try? FileManager.default.removeItem(atPath: sandbox.paths.readyFile)
        sandbox.log.log(.info, "server.stopped")
    }
}
