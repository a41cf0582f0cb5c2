/// A key press, as the backend decodes it.
public enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, enter, escape, tab, backTab, backspace, delete, home, end, pageUp, pageDown
    case resize, interrupt
    case function(Int)
}

