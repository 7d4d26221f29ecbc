// Layout of the data directory and small file helpers (secrets are written 0600).

import Foundation

struct DataPaths: Sendable {
    let root: String
    var database: String { root + "/sandbox.sqlite" }
    var caKey: String { root + "/ca/ca.key.pem" }
    var caCert: String { root + "/ca/ca.pem" }
    var serverKey: String { root + "/ca/server.key.pem" }
    var serverCert: String { root + "/ca/server.pem" }
    var outbox: String { root + "/outbox" }
    var secret: String { root + "/ca/secret.key" }
    /// Written once both listeners are bound: actual ports, for launchers that asked for port 0.
    var readyFile: String { root + "/server.json" }

    init(root: String) {
        var path = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        while path.hasSuffix("/") && path.count > 1 { path.removeLast() }
        self.root = path
    }

    /// Creates the directories (0700) if needed.
    func prepare() throws {
        for dir in [root, root + "/ca", outbox] {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
    }

    /// A 32-byte server secret (HMAC key for candidate ids, withdrawal/share code hashes).
    func loadOrCreateSecret() throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: secret), data.count == 32 { return Array(data) }
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        try Files.writeSecret(Data(bytes), to: secret)
        return bytes
    }
}

enum Files {
    static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try write(Data(text.utf8), to: path, mode: mode)
    }
    static func writeSecret(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path, mode: 0o600)
    }
    static func writeSecret(_ data: Data, to path: String) throws { try write(data, to: path, mode: 0o600) }

    /// Atomic write: temp file with the final mode, then rename.
    static func write(_ data: Data, to path: String, mode: Int) throws {
        let temp = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: mode]) else {
            throw PKIError("cannot write \(path)")
        }
        if rename(temp, path) != 0 {
            try? FileManager.default.removeItem(atPath: temp)
            throw PKIError("cannot write \(path)")
        }
    }
}
