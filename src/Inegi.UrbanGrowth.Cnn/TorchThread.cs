using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Inegi.UrbanGrowth.Cnn;

/// <summary>
/// One long-lived thread that makes every libtorch call of this library, whichever thread asked for it.
/// </summary>
/// <remarks>
/// libtorch's CPU convolutions (oneDNN) keep per-thread state: scratch memory, the OpenMP team and the thread count
/// set by <c>torch.set_num_threads</c>. Calls from short-lived pool threads (a map classified by
/// <c>GridClassifier</c>, cross-validation folds) made later convolutions of the same network return NaN or other
/// garbage in about one process in four on this project's machines, for the same weights and inputs that gave finite
/// results a moment earlier; routed through one thread, the same calls are repeatable (docs/cnn.md, "Threads").
/// Work is done in arrival order, so concurrent callers queue instead of racing on libtorch's global state.
/// </remarks>
internal static class TorchThread
{
    private static readonly BlockingCollection<Action> Work = [];

    [ThreadStatic]
    private static bool _isTorchThread;

    static TorchThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "Inegi.UrbanGrowth libtorch" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the libtorch thread and returns its result; its exception is rethrown here.</summary>
    public static T Invoke<T>(Func<T> work)
    {
        if (_isTorchThread)
        {
            return work();
        }

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        Work.Add(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="work"/> on the libtorch thread; its exception is rethrown here.</summary>
    public static void Invoke(Action work) => Invoke(() =>
    {
        work();
        return true;
    });

    private static void Loop()
    {
        _isTorchThread = true;
        foreach (Action item in Work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
