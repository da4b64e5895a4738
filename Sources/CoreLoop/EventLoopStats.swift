/// Counters an `EventLoop` keeps about itself, for status reports.
///
/// Thread-safety: a value; read it on the loop thread (or copy it out via `execute`).
public struct EventLoopStats {
    /// Completed turns of the loop.
    public var iterations: UInt64 = 0
    /// Tasks posted with `execute` that have run.
    public var tasksRun: UInt64 = 0
    public var timersFired: UInt64 = 0
    /// Events for a descriptor whose registration changed within the same wait.
    public var staleEventsDropped: UInt64 = 0
    /// Live registrations (including the loop's own wakeup descriptor).
    public var registrations: Int = 0
    /// Loop lag: how late the most recent due timer ran, and the worst seen.
    /// A busy or blocked loop shows here first.
    public var lastTimerLagNanos: UInt64 = 0
    public var maxTimerLagNanos: UInt64 = 0
    /// How long each turn worked (tasks, flushes, events, timers; not the wait).
    public var iterationTime = LatencyHistogram()

    public init() {}

    mutating func recordTimerLateness(_ nanos: UInt64) {
        lastTimerLagNanos = nanos
        if nanos > maxTimerLagNanos { maxTimerLagNanos = nanos }
    }
}
