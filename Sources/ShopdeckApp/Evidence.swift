import Foundation
import ShopdeckModel

/// Where an appeal's evidence may come from (issue 13): a relative path resolves inside the
/// data folder and may not leave it (`..` or a link pointing out); every evidence path must
/// name a regular file the operator can read (never a FIFO, a device or a folder). The
/// journal keeps the path as given, never the file's content.
public enum Evidence {
    /// Why `path` cannot be evidence for an appeal filed from `folder`; nil when it can.
    public static func problem(_ path: String, folder: String) -> String? {
        let trimmed = path.trimmingSpaces()
        guard !trimmed.isEmpty else { return "an empty path" }
        let full: String
        if trimmed.hasPrefix("/") {
            full = trimmed
        } else {
            full = folder + "/" + trimmed
            guard let base = realPath(folder) else { return "\(trimmed): the data folder cannot be resolved" }
            guard let target = realPath(full) else { return "\(trimmed): not found in \(folder)" }
            guard target.hasPrefix(base == "/" ? "/" : base + "/") else {
                return "\(trimmed): leaves the data folder \(folder) (relative paths must stay inside it)"
            }
        }
        switch FileReader.entryKind(full) {
        case .missing: return "\(trimmed): not found" + (trimmed.hasPrefix("/") ? "" : " in \(folder)")
        case .other(let what): return "\(trimmed): this is \(what), not a regular file"
        case .regular: break
        }
        guard access(full, R_OK) == 0 else { return "\(trimmed): cannot be read (permission denied)" }
        return nil
    }

    /// Names in the data folder (or a sub-folder of it) that start with the last path typed,
    /// for completion in the appeal form: folders end in `/`; hidden names only when asked
    /// for with a leading dot. At most 50, sorted.
    public static func completions(_ partial: String, folder: String) -> [String] {
        let p = partial.trimmingSpaces()
        guard !p.hasPrefix("/"), !p.contains("..") else { return [] }
        let dirPart = p.contains("/") ? String(p[..<p.lastIndex(of: "/")!]) + "/" : ""
        let namePart = String(p.dropFirst(dirPart.count))
        let dir = folder + "/" + dirPart
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var out: [String] = []
        for n in names.sorted() where n.hasPrefix(namePart) && (namePart.hasPrefix(".") || !n.hasPrefix(".")) {
            var isDir: ObjCBool = false
            // Gone since the listing: not offered.
            guard FileManager.default.fileExists(atPath: dir + n, isDirectory: &isDir) else { continue }
            out.append(dirPart + n + (isDir.boolValue ? "/" : ""))
            if out.count == 50 { break }
        }
        return out
    }

    /// The canonical absolute path (links and `..` resolved), or nil when it does not exist.
    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
