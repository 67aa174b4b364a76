import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lists the patient file candidates under a served folder for the caseload: every
/// regular `*.yaml` / `*.yml` file, in subfolders too, hidden names skipped. Symbolic
/// links (to files or folders) are not followed and not listed; a file reached by two
/// hard links is listed once, under the first path in byte order. Each candidate comes
/// with its `lstat` stamp, which the store compares to tell a changed file.
enum CaseloadScan {
    struct Candidate {
        var relativePath: String
        var path: String
        var stamp: FileStamp
    }

    /// The candidates sorted by relative path, or nil when `folder` cannot be listed.
    static func candidates(in folder: String) -> [Candidate]? {
        var found: [Candidate] = []
        guard walk(folder, relative: nil, into: &found) else { return nil }
        found.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        var seen: Set<String> = []
        return found.filter { seen.insert("\($0.stamp.device):\($0.stamp.inode)").inserted }
    }

    private static func walk(_ folder: String, relative: String?, into found: inout [Candidate]) -> Bool {
        guard let stream = opendir(folder) else { return false }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let path = folder + "/" + name
            let inside = relative.map { $0 + "/" + name } ?? name
            let type = Int32(entry.pointee.d_type)
            let isYAML = name.hasSuffix(".yaml") || name.hasSuffix(".yml")
            if type == Int32(DT_DIR) {
                _ = walk(path, relative: inside, into: &found)  // an unlistable subfolder adds nothing
                continue
            }
            guard isYAML || type == Int32(DT_UNKNOWN) else { continue }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: _ = walk(path, relative: inside, into: &found)
            case S_IFREG where isYAML:
                found.append(Candidate(relativePath: inside, path: path, stamp: FileStamp(info)))
            default: break  // links, pipes, sockets, devices
            }
        }
        return true
    }
}

extension FileStamp {
    init(_ s: stat) {
        self.init(device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size),
                  seconds: Int(s.st_mtim.tv_sec), nanoseconds: Int(s.st_mtim.tv_nsec))
    }
}
