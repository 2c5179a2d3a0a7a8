using System;
using System.Threading;

namespace LstmGen;

/// <summary>
/// Runs the parts of a split call (batch rows or hidden units) on persistent background threads (started on first use, one per extra part)
/// and on the calling thread, without allocating per call. One split call runs at a time; a call that finds the
/// workers busy runs its parts one after another on its own thread instead.
/// </summary>
internal static unsafe class Workers
{
    private static readonly object Gate = new();
    private static Worker[] _workers = Array.Empty<Worker>();

    private static long _workerAllocatedBytes;

    /// <summary>
    /// Bytes the worker threads allocated while running parts, since the process started: what the zero-allocation tests
    /// assert on (a process-wide count also sees the test host's own threads).
    /// </summary>
    internal static long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocatedBytes);

    /// <summary>What the parts of a unit-split call share; used only while holding the workers (<see cref="TryAcquire"/>).</summary>
    public static Numerics.StepBarrier Barrier { get; } = new();

    /// <summary>Calls <paramref name="body"/>(part, context) for part = 0 … parts − 1, part 0 on this thread; returns when all are done.</summary>
    public static void Run(int parts, delegate*<int, void*, void> body, void* context)
    {
        if (parts <= 1 || !TryAcquire())
        {
            for (var part = 0; part < parts; part++) body(part, context);
            return;
        }
        try
        {
            RunAcquired(parts, body, context);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Takes the workers for one split call, or returns false when another call has them.</summary>
    public static bool TryAcquire() => Monitor.TryEnter(Gate);

    public static void Release() => Monitor.Exit(Gate);

    /// <summary>
    /// As <see cref="Run"/>, with the workers already taken: every part runs on its own thread at the same time, which
    /// the parts of a unit-split call need (they wait for each other at every step).
    /// </summary>
    public static void RunAcquired(int parts, delegate*<int, void*, void> body, void* context)
    {
        if (_workers.Length < parts - 1)
        {
            var workers = new Worker[parts - 1];
            Array.Copy(_workers, workers, _workers.Length);
            for (var i = _workers.Length; i < workers.Length; i++) workers[i] = new Worker(i + 1);
            _workers = workers;
        }
        for (var part = 1; part < parts; part++) _workers[part - 1].Start(body, context);
        Exception? error = null;
        try
        {
            body(0, context);
        }
        catch (Exception e)
        {
            error = e;
        }
        for (var part = 1; part < parts; part++) error ??= _workers[part - 1].Wait();
        if (error is not null) throw new AggregateException("A part of a split LSTM call failed.", error);
    }

    private sealed class Worker
    {
        private readonly int _part;
        private readonly ManualResetEventSlim _start = new(false, 2000);
        private readonly ManualResetEventSlim _done = new(false, 2000);
        private delegate*<int, void*, void> _body;
        private void* _context;
        private Exception? _error;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"LstmGen worker {part}" };
            thread.Start();
        }

        public void Start(delegate*<int, void*, void> body, void* context)
        {
            _body = body;
            _context = context;
            _error = null;
            _done.Reset();
            _start.Set();
        }

        public Exception? Wait()
        {
            _done.Wait();
            return _error;
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    _body(_part, _context);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                _done.Set();
            }
        }
    }
}
