#if canImport(Glibc)
internal import Glibc
#endif

/// The few file operations the store needs, with the permissions Carnet
/// promises: directories it creates are 0700, files 0600 (docs/security.md).
enum FileSystem {
    enum Kind { case missing, directory, other }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
    }

    /// Creates `path` (not its parents) as a 0700 directory if it does not exist.
    static func ensurePrivateDirectory(_ path: String) throws(CarnetFailure) {
        switch kind(of: path) {
        case .directory: return
        case .other: throw .storage(code: 0, .storeDirectoryUnusable)
        case .missing:
            if mkdir(path, 0o700) != 0, errno != EEXIST {
                throw .storage(code: errno, .storeDirectoryUnusable)
            }
            guard kind(of: path) == .directory else { throw .storage(code: 0, .storeDirectoryUnusable) }
        }
    }

    /// Creates `path` as an empty 0600 file if missing, and makes an existing
    /// one 0600. Refuses symbolic links, so the store cannot be redirected.
    static func ensurePrivateFile(_ path: String) throws(CarnetFailure) {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .storage(code: errno, .storeDirectoryUnusable) }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw .storage(code: errno, .storeDirectoryUnusable) }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
