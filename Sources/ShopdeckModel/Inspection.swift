import Foundation

/// What `shopdeck inspect` shows of one file (data-formats.md "Inspecting a file").
public struct Inspection {
    public var file: String
    public var table: TableKind?
    public var encoding: TextEncoding?
    public var separator: String
    public var headerLine: Int?
    public var headers: [String] = []
    /// (header text, canonical column) in header order; unmapped headers are left out.
    public var mapped: [(String, String)] = []
    /// Every data record, cell texts after CSV decoding, before typing or trimming.
    public var rows: [[String]] = []
    public var rowLines: [Int] = []
    public var errors: [LoadError] = []
    public var loadedRows = 0
    /// A workbook's sheets, each as its own inspection.
    public var sheets: [Inspection] = []
    /// When set, rows are handed here as they are read instead of being kept in `rows` (so
    /// `inspect --format json` streams a file of any size in little memory). It sees the
    /// inspection as it stands (table, encoding, headers are known before the first row).
    public var onRow: ((Inspection, [String], Int) -> Void)?
    /// Every data record seen, kept or handed on.
    public var rowsSeen = 0

    public init(file: String, separator: String) { self.file = file; self.separator = separator }

    /// Keeps or hands on one data record.
    public mutating func addRow(_ cells: [String], line: Int) {
        rowsSeen += 1
        if let onRow { onRow(self, cells, line) } else { rows.append(cells); rowLines.append(line) }
    }
}
