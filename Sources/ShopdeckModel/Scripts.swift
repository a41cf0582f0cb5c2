/// Live-script text files (`scripts/*.txt` in the data folder) for the copy check (rules.md §8).
public enum LiveScripts {
    public static func load(folder: String) -> [(name: String, text: String)] {
        let dir = folder + "/scripts"
        guard let names = FileReader.list(dir) else { return [] }
        return names.filter { $0.lowercased().hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            guard let bytes = try? FileReader.readAll(dir + "/" + name) else { return nil }
            let utf8: [UInt8]
            if TextEncoding.isValidUTF8(bytes.withUnsafeBytes { $0 }, allowTruncatedEnd: false) { utf8 = bytes }
            else { utf8 = TextEncoding.decodeGB18030(bytes) ?? bytes }
            var text = String(decoding: utf8, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return (name, text)
        }
    }
}
