import Foundation

/// A failure to file, in words an operator can act on (never a Foundation error dump such as
/// `Error Domain=NSCocoaErrorDomain Code=4`).
public enum AppealMessages {
    /// A failure to file or read the journal, in the UI language (English by default: the
    /// command line's messages).
    public static func words(_ error: Error, _ l: Lang = .en) -> String {
        if let f = error as? AppealJournal.Failure {
            guard l == .zh else { return f.description }
            switch f {
            case let .attemptTaken(v, a, by, at): return "违规 \(v) 的第 \(a) 次申诉已由 \(by) 于 \(at) 提交；本次未写入任何内容"
            case .readOnly(let why): return "申诉记录只读：" + fileProblem(why, l)
            case .invalid(let why): return why
            case .newer(let why): return "申诉记录由更新版本的 shopdeck 写入（\(why)）：请升级 shopdeck；未读取也未写入任何内容"
            case .unreadable(let why): return "申诉记录无法读取：" + fileProblem(why, l)
            }
        }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError:
                return l.t("permission denied: the journal or its folder cannot be written", "没有权限：申诉记录或其文件夹不可写")
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return l.t("the journal's folder does not exist", "申诉记录所在的文件夹不存在")
            case NSFileWriteOutOfSpaceError: return l.t("the disk is full", "磁盘已满")
            default: return l.t("the journal could not be written (\(ns.localizedDescription))", "申诉记录无法写入（\(ns.localizedDescription)）")
            }
        }
        return "\(error)"
    }

    /// Why a file or folder cannot be used (the journal's, review mode's), in the UI language.
    public static func fileProblem(_ why: String, _ l: Lang) -> String {
        guard l == .zh else { return why }
        var w = why
        for (en, zh) in [(" is a symbolic link; shopdeck does not follow it (give the journal with --journal PATH to use it)", " 是符号链接，shopdeck 不跟随（如需使用，请用 --journal PATH 指定）"),
                         (" is a symbolic link", " 是符号链接"), (" is not writable", " 不可写"), (" does not exist", " 不存在"),
                         ("the journal ", "申诉记录 "), ("the folder ", "文件夹 "), ("cannot create ", "无法创建 "), ("--read-only", "--read-only（审阅模式）")] {
            w = w.replacingOccurrences(of: en, with: zh)
        }
        return w
    }
}
