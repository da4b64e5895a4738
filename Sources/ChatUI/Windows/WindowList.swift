/// The windows in the order they were opened (window 1 is the server), and
/// which one is shown. Names compare case-insensitively, as IRC names do.
///
/// Thread-safety: loop thread only.
public final class WindowList {
    public private(set) var windows: [ChatWindow]
    public private(set) var currentIndex = 0

    public init(serverName: String = "server") {
        windows = [ChatWindow(name: serverName, kind: .server)]
    }

    public var current: ChatWindow { windows[currentIndex] }
    public var server: ChatWindow { windows[0] }

    public func index(of name: String) -> Int? {
        let folded = name.lowercased()
        return windows.firstIndex { $0.kind != .server && $0.name.lowercased() == folded }
    }

    public func window(named name: String) -> ChatWindow? { index(of: name).map { windows[$0] } }

    /// The window called `name`, opened at the end if there is none.
    @discardableResult
    public func open(_ name: String, kind: ChatWindow.Kind) -> ChatWindow {
        if let w = window(named: name) { return w }
        let w = ChatWindow(name: name, kind: kind)
        windows.append(w)
        return w
    }

    /// Shows window `number` (1-based); false if there is no such window.
    @discardableResult
    public func select(number: Int) -> Bool {
        guard number >= 1 && number <= windows.count else { return false }
        select(index: number - 1)
        return true
    }

    public func select(index: Int) {
        guard windows.indices.contains(index) else { return }
        currentIndex = index
        windows[index].unread = 0
        windows[index].highlighted = false
    }

    public func select(_ window: ChatWindow) {
        if let i = windows.firstIndex(where: { $0 === window }) { select(index: i) }
    }

    /// Closes a window; the server window stays. Shows the one before it.
    public func close(index: Int) {
        guard index > 0 && index < windows.count else { return }
        windows.remove(at: index)
        if currentIndex >= index { currentIndex = max(0, currentIndex - 1) }
        select(index: currentIndex)
    }

    /// Window numbers (1-based) with unread lines, highlighted ones marked by the caller.
    public var active: [(number: Int, highlighted: Bool)] {
        windows.enumerated().filter { $0.element.unread > 0 }.map { ($0.offset + 1, $0.element.highlighted) }
    }
}
