import Foundation

/// A failure to file, in words an operator can act on (never a Foundation error dump such as
/// `Error Domain=NSCocoaErrorDomain Code=4`).
public enum AppealMessages {
    public static func words(_ error: Error) -> String {
        if let f = error as? AppealJournal.Failure { return f.description }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied: the journal or its folder cannot be written"
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "the journal's folder does not exist"
            case NSFileWriteOutOfSpaceError: return "the disk is full"
            default: return "the journal could not be written (\(ns.localizedDescription))"
            }
        }
        return "\(error)"
    }
}
