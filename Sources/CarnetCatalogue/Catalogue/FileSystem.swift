#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The only file-system code of the module: list a directory, read a whole file.
enum FileSystem {
    /// Largest file the catalogue reads (the whole NUVA French translation is ~200 kB).
    static let maximumFileSize = 16 << 20

    /// Regular entry names of `path`, sorted, without `.` and `..`.
    static func list(_ path: String) throws(CatalogueError) -> [String] {
        guard let dir = opendir(path) else {
            throw .unreadable(file: path, reason: "cannot open directory (errno \(errno))")
        }
        defer { closedir(dir) }
        // readdir's records are variable-length: reading `entry.pointee.d_name` copies the
        // whole 256-byte array, past the end of a short last record (AddressSanitizer:
        // heap-buffer-overflow). Read the NUL-terminated name in place instead.
        guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else {
            throw .unreadable(file: path, reason: "unexpected dirent layout")
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            names.append(name)
            if names.count > 1_000_000 { throw .unreadable(file: path, reason: "too many entries") }
        }
        return names.sorted()
    }

    /// The whole file as UTF-8 text.
    static func readText(_ path: String) throws(CatalogueError) -> String {
        guard let file = fopen(path, "rb") else {
            throw .unreadable(file: path, reason: "cannot open (errno \(errno))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if bytes.count > maximumFileSize {
                throw .unreadable(file: path, reason: "larger than \(maximumFileSize) bytes")
            }
            if n < chunk.count {
                if ferror(file) != 0 { throw .unreadable(file: path, reason: "read error") }
                break
            }
        }
        // Tolerate a UTF-8 byte-order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: path, reason: "not valid UTF-8")
        }
        return text
    }

    /// Whether something exists at `path` (file or directory).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return false }
        closedir(dir)
        return true
    }
}
