using System.Buffers;

namespace Inegi.UrbanGrowth.Raster;

/// <summary>
/// A thread-safe LRU cache of decoded blocks (strips or tiles), bounded in bytes. Buffers come from
/// <see cref="ArrayPool{T}.Shared"/> and go back there when evicted and no reader holds them (reference counts).
/// </summary>
internal sealed class BlockCache
{
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _gate = new();
    private readonly long _capacity;
    private long _bytes;

    public BlockCache(long capacityBytes)
    {
        _capacity = Math.Max(0, capacityBytes);
    }

    /// <summary>Blocks decoded so far (cache misses that reached the decoder).</summary>
    public long Misses;

    /// <summary>Blocks served from the cache.</summary>
    public long Hits;

    public long CapacityBytes => _capacity;

    /// <summary>The cached block, acquired (call <see cref="Release"/>), or null.</summary>
    public Entry? TryAcquire(long key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out Entry? e))
            {
                e.RefCount++;
                _lru.Remove(e.Node);
                _lru.AddFirst(e.Node);
                Hits++;
                return e;
            }
        }

        return null;
    }

    /// <summary>Whether the block is cached (without acquiring it or touching its recency).</summary>
    public bool Contains(long key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key);
        }
    }

    /// <summary>Adds a freshly decoded block and returns it acquired (or the copy another thread added first).</summary>
    public Entry AddAndAcquire(long key, byte[] data, int length)
    {
        var fresh = new Entry(key, data, length) { RefCount = 1 };
        List<byte[]>? toReturn = null;
        lock (_gate)
        {
            Misses++;
            if (_entries.TryGetValue(key, out Entry? existing))
            {
                existing.RefCount++;
                fresh.Evicted = true;
                fresh.RefCount = 0;
                toReturn = [data];
                ReturnAll(toReturn);
                return existing;
            }

            if (length > _capacity)
            {
                fresh.Evicted = true; // not cached: returned to the pool on release
                return fresh;
            }

            _entries.Add(key, fresh);
            _lru.AddFirst(fresh.Node);
            _bytes += data.Length;
            while (_bytes > _capacity && _lru.Last is { } last && last.Value != fresh)
            {
                Entry victim = last.Value;
                _lru.RemoveLast();
                _entries.Remove(victim.Key);
                _bytes -= victim.Data.Length;
                victim.Evicted = true;
                if (victim.RefCount == 0)
                {
                    (toReturn ??= []).Add(victim.Data);
                }
            }
        }

        ReturnAll(toReturn);
        return fresh;
    }

    /// <summary>Releases an acquired block.</summary>
    public void Release(Entry entry)
    {
        bool giveBack;
        lock (_gate)
        {
            entry.RefCount--;
            giveBack = entry.RefCount == 0 && entry.Evicted;
        }

        if (giveBack)
        {
            ArrayPool<byte>.Shared.Return(entry.Data);
        }
    }

    /// <summary>Drops every unused block.</summary>
    public void Clear()
    {
        List<byte[]> toReturn = [];
        lock (_gate)
        {
            foreach (Entry e in _entries.Values)
            {
                e.Evicted = true;
                if (e.RefCount == 0)
                {
                    toReturn.Add(e.Data);
                }
            }

            _entries.Clear();
            _lru.Clear();
            _bytes = 0;
        }

        ReturnAll(toReturn);
    }

    private static void ReturnAll(List<byte[]>? buffers)
    {
        if (buffers is null)
        {
            return;
        }

        foreach (byte[] b in buffers)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    internal sealed class Entry
    {
        public Entry(long key, byte[] data, int length)
        {
            Key = key;
            Data = data;
            Length = length;
            Node = new LinkedListNode<Entry>(this);
        }

        public long Key { get; }

        public byte[] Data { get; }

        public int Length { get; }

        public LinkedListNode<Entry> Node { get; }

        public int RefCount { get; set; }

        public bool Evicted { get; set; }
    }
}
