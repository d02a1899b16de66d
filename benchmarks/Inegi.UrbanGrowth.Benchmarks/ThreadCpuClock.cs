using System.Runtime.InteropServices;

namespace Inegi.UrbanGrowth.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), for the paired timings that alternate two
/// variants in one process: on a shared machine, CPU time of the thread is what other processes disturb least.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Runs <paramref name="action"/> and returns the thread CPU time it took, in microseconds.</summary>
    public static double Time(Action action)
    {
        double start = Microseconds();
        action();
        return Microseconds() - start;
    }

    /// <summary>The calling thread's CPU time so far, in microseconds.</summary>
    public static double Microseconds() =>
        clock_gettime(ClockThreadCpuTimeId, out TimeSpec t) == 0
            ? (t.Seconds * 1e6) + (t.Nanoseconds / 1e3)
            : throw new PlatformNotSupportedException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: thread CPU time is read on Linux only.");

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
