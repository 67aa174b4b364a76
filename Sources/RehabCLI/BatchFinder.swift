import Foundation
import RehabFormat

/// Finds the candidate patient files under a folder, in a stable order, and picks a shard.
///
/// A candidate is an entry named `*.yaml` or `*.yml` anywhere under the folder, skipping
/// hidden files and folders (names starting with `.`). Pain logs (`*.painlog`) and other
/// names are ignored. Program and library files among the candidates are told apart later,
/// by their content (see `BatchRunner`), exactly as `rehab validate` does.
///
/// Nothing is left out silently: a candidate that is not a regular file (a symbolic link,
/// dangling or not, a named pipe, a socket or device) and any subfolder that cannot be
/// listed (or a link to a folder, which is not followed) is returned with the reason, so
/// the batch lists it as failed.
enum BatchFinder {
    /// One entry: its path under the batch folder (with `/`), and why it cannot be planned.
    struct Entry: Equatable {
        var path: String
        var refusal: String?
    }

    /// The candidates under `folder`, sorted by path.
    static func entries(in folder: String) throws(CLIError) -> [Entry] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw CLIError(.io, "\(folder): error: [io] no such folder; check the path")
        }
        guard isFolder.boolValue else {
            throw CLIError(.invalidInput, "\(folder): error: [input] this is a file; `rehab batch` takes a folder of patient files (use `rehab export` or `rehab plan` for one patient)")
        }
        var found: [Entry] = []
        guard walk(folder, relative: nil, into: &found) else {
            throw CLIError(.io, "\(folder): error: [io] cannot list the folder; check its permissions")
        }
        return found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The paths of the candidates that can be read (refused entries left out).
    static func candidates(in folder: String) throws(CLIError) -> [String] {
        try entries(in: folder).filter { $0.refusal == nil }.map(\.path)
    }

    /// Adds the entries in `folder` (whose path under the batch folder is `relative`) and
    /// its subfolders to `found`. Uses the entry types `readdir` reports, so a folder of
    /// thousands of patients is listed without a `stat` per file; only entries of unknown
    /// type are looked up. False when `folder` cannot be opened.
    private static func walk(_ folder: String, relative: String?, into found: inout [Entry]) -> Bool {
        guard let stream = opendir(folder) else { return false }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }  // hidden files and folders, and . and ..
            let path = folder + "/" + name
            let inside = relative.map { $0 + "/" + name } ?? name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    if isYAML(name) { found.append(Entry(path: inside, refusal: "cannot look at this entry: \(String(cString: strerror(errno)))")) }
                    continue
                }
                type = Int32(info.st_mode & S_IFMT) >> 12  // S_IFxxx >> 12 is DT_xxx
            }
            if type == Int32(DT_DIR) {
                if !walk(path, relative: inside, into: &found) {
                    found.append(Entry(path: inside + "/", refusal: "cannot list this folder (\(String(cString: strerror(errno)))); "
                                       + "the patient files in it, if any, were not planned: check its permissions"))
                }
            } else if type == Int32(DT_LNK) {
                var target = stat()
                let isFolderLink = stat(path, &target) == 0 && target.st_mode & S_IFMT == S_IFDIR
                if isFolderLink {
                    found.append(Entry(path: inside + "/", refusal: "a symbolic link to a folder; it is not followed, "
                                       + "so the patient files in it, if any, were not planned: give the folder itself"))
                } else if isYAML(name) {
                    found.append(Entry(path: inside, refusal: PrivateFile.Refusal.link.message))
                }
            } else if isYAML(name) {
                found.append(Entry(path: inside, refusal: type == Int32(DT_REG) ? nil
                                   : PrivateFile.Refusal.notRegular(kindName(type)).message))
            }
        }
        return true
    }

    private static func isYAML(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    private static func kindName(_ type: Int32) -> String {
        switch type {
        case Int32(DT_FIFO): "a named pipe (FIFO)"
        case Int32(DT_SOCK): "a socket"
        case Int32(DT_CHR), Int32(DT_BLK): "a device"
        default: "not a regular file"
        }
    }
}

/// `--shard K/N`: the K-th of N disjoint parts that together cover every patient file.
///
/// A file belongs to shard `fnv1a64(relative path) % N + 1`, so any runner can take its
/// part with no coordination, and a file stays in its shard as others come and go.
struct Shard: Equatable, CustomStringConvertible {
    var index: Int
    var count: Int

    /// Reads `K/N` with 1 <= K <= N.
    init(parsing text: String) throws(CLIError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw CLIError(.usage, "error: --shard \(text.prefix(30)): write it as K/N, for example 2/8 for the second of eight parts")
        }
        guard n >= 1, k >= 1, k <= n else {
            throw CLIError(.invalidInput, "error: --shard \(k)/\(n): K must be from 1 to N (and N at least 1)")
        }
        index = k
        count = n
    }

    var description: String { "\(index)/\(count)" }

    /// True when the file at `relativePath` belongs to this shard.
    func contains(_ relativePath: String) -> Bool {
        Int(Self.fnv1a64(relativePath) % UInt64(count)) + 1 == index
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: stable across runs, machines and Swift versions
    /// (unlike `Hasher`, which is seeded per process).
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
