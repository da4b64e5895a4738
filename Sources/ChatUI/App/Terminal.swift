/// Where the app draws: ncurses in `chat`, a plain buffer in tests.
///
/// Thread-safety: loop thread only.
public protocol Terminal: AnyObject {
    var rows: Int { get }
    var columns: Int { get }
    func draw(_ screen: ScreenBuffer)
}
