using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inegi.UrbanGrowth.Trees.Kernels;

namespace Inegi.UrbanGrowth.Trees;

/// <summary>The batched vector walk, written once over <see cref="ITreeWalkOps{TInt, TFloat}"/>.</summary>
public sealed partial class ExtraTreesModel
{
    private ExtraTreesModel(ExtraTreesModel source, VectorWidth walkWidth)
        : this(source.Schema, source.ClassCount, source.Options, source.ResolvedMaxFeatures, source._classCounts, source._classPriors, source._importances, source._roots, source._feature, source._threshold, source._child, source._values)
    {
        WalkWidth = walkWidth;
    }

    /// <summary>
    /// The vector width of this instance's batched walk (default <see cref="TreeWalkWidths.Best"/>); every width reaches
    /// the same leaves, so probabilities do not depend on it. Tests run each width (one the CPU lacks runs emulated).
    /// </summary>
    internal VectorWidth WalkWidth { get; private init; } = TreeWalkWidths.Best;

    /// <summary>The same forest (sharing its arrays) walked at <paramref name="width"/>.</summary>
    internal ExtraTreesModel WithWalkWidth(VectorWidth width) => new(this, width);

    /// <summary>Adds every tree's leaf values for the rows of one block, tree after tree, at <see cref="WalkWidth"/>.</summary>
    private void AccumulateForest(ReadOnlySpan<float> block, int count, Span<double> acc)
    {
        switch (WalkWidth)
        {
            case VectorWidth.V512:
                AccumulateForest<TreeWalk512, System.Runtime.Intrinsics.Vector512<int>, System.Runtime.Intrinsics.Vector512<float>>(block, count, acc);
                break;
            case VectorWidth.V256:
                AccumulateForest<TreeWalk256, System.Runtime.Intrinsics.Vector256<int>, System.Runtime.Intrinsics.Vector256<float>>(block, count, acc);
                break;
            case VectorWidth.V128:
                AccumulateForest<TreeWalk128, System.Runtime.Intrinsics.Vector128<int>, System.Runtime.Intrinsics.Vector128<float>>(block, count, acc);
                break;
            default:
                for (int t = 0; t < _roots.Length; t++)
                {
                    AccumulateTree(_roots[t], block, count, acc);
                }

                break;
        }
    }

    private void AccumulateForest<TOps, TInt, TFloat>(ReadOnlySpan<float> block, int count, Span<double> acc)
        where TOps : ITreeWalkOps<TInt, TFloat>
        where TInt : struct
        where TFloat : struct
    {
        CompactForest? compact = Compact;
        bool gathered = compact is null && Packed.Length < (int.MaxValue / 4);
        for (int t = 0; t < _roots.Length; t++)
        {
            if (compact is not null)
            {
                AccumulateTreeCompact<TOps, TInt, TFloat>(compact, t, block, count, acc);
            }
            else if (gathered)
            {
                AccumulateTreeGathered<TOps, TInt, TFloat>(_roots[t], block, count, acc);
            }
            else
            {
                AccumulateTree(_roots[t], block, count, acc);
            }
        }
    }

    /// <summary>
    /// The walk of <see cref="AccumulateTreeGathered"/> over the 8-byte nodes of <see cref="CompactForest"/>, four
    /// vectors of rows per step (32 rows at 256 bits): more walks in flight hide more of the gathers' latency (16 rows:
    /// 4.6-5.3 s, 32: 3.7-4.5 s for 1M x 100 with 16-byte nodes, paired runs), and per step and 8 rows two 64-bit
    /// gathers fetch the nodes where three 32-bit gathers did (-> 3.2-3.4 s). Same comparisons, same leaves, same
    /// sums; leftover rows take the scalar walk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulateTreeCompact<TOps, TInt, TFloat>(CompactForest compact, int tree, ReadOnlySpan<float> block, int count, Span<double> acc)
        where TOps : ITreeWalkOps<TInt, TFloat>
        where TInt : struct
        where TFloat : struct
    {
        int k = ClassCount;
        int nf = FeatureCount;
        int root = _roots[tree];
        int valueBase = compact.ValueBase[tree];
        int w = TOps.Count;
        int step = 4 * w;
        ref float values = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), valueBase);
        int r = 0;
        fixed (ulong* forest = compact.Nodes)
        fixed (float* x = block)
        {
            long* nodes = (long*)(forest + root);
            TInt laneRows = TOps.LaneMultiples(nf);
            TInt leafCode = TOps.Create(CompactLeaf);
            TInt vectorRows = TOps.Create(w * nf);
            Span<int> leaves = stackalloc int[step];
            for (; r + step <= count; r += step)
            {
                TInt base0 = TOps.Add(laneRows, TOps.Create(r * nf));
                TInt base1 = TOps.Add(base0, vectorRows);
                TInt base2 = TOps.Add(base1, vectorRows);
                TInt base3 = TOps.Add(base2, vectorRows);
                TInt n0 = TOps.Create(0), n1 = n0, n2 = n0, n3 = n0;
                while (true)
                {
                    (TFloat t0, TInt c0) = TOps.GatherNodes(nodes, n0);
                    (TFloat t1, TInt c1) = TOps.GatherNodes(nodes, n1);
                    (TFloat t2, TInt c2) = TOps.GatherNodes(nodes, n2);
                    (TFloat t3, TInt c3) = TOps.GatherNodes(nodes, n3);
                    TInt f0 = TOps.And(c0, leafCode), f1 = TOps.And(c1, leafCode), f2 = TOps.And(c2, leafCode), f3 = TOps.And(c3, leafCode);
                    TInt leaf0 = TOps.Equals(f0, leafCode), leaf1 = TOps.Equals(f1, leafCode);
                    TInt leaf2 = TOps.Equals(f2, leafCode), leaf3 = TOps.Equals(f3, leafCode);
                    if (TOps.All(TOps.And(TOps.And(leaf0, leaf1), TOps.And(leaf2, leaf3))))
                    {
                        n0 = c0;
                        n1 = c1;
                        n2 = c2;
                        n3 = c3;
                        break;
                    }

                    // A leaf's feature field (1023) would read past the row: it reads feature 0, unused.
                    TFloat x0 = TOps.Gather(x, TOps.Add(TOps.AndNot(f0, leaf0), base0));
                    TFloat x1 = TOps.Gather(x, TOps.Add(TOps.AndNot(f1, leaf1), base1));
                    TFloat x2 = TOps.Gather(x, TOps.Add(TOps.AndNot(f2, leaf2), base2));
                    TFloat x3 = TOps.Gather(x, TOps.Add(TOps.AndNot(f3, leaf3), base3));

                    // x > t is all ones (-1): subtracting it steps to the right child.
                    n0 = TOps.Select(leaf0, n0, TOps.Subtract(TOps.ShiftRightLogical(c0, CompactFeatureBits), TOps.GreaterThan(x0, t0)));
                    n1 = TOps.Select(leaf1, n1, TOps.Subtract(TOps.ShiftRightLogical(c1, CompactFeatureBits), TOps.GreaterThan(x1, t1)));
                    n2 = TOps.Select(leaf2, n2, TOps.Subtract(TOps.ShiftRightLogical(c2, CompactFeatureBits), TOps.GreaterThan(x2, t2)));
                    n3 = TOps.Select(leaf3, n3, TOps.Subtract(TOps.ShiftRightLogical(c3, CompactFeatureBits), TOps.GreaterThan(x3, t3)));
                }

                // Every lane is on its leaf: the packed field holds the leaf's value offset.
                ref int l = ref MemoryMarshal.GetReference(leaves);
                TOps.Store(TOps.ShiftRightLogical(n0, CompactFeatureBits), ref l);
                TOps.Store(TOps.ShiftRightLogical(n1, CompactFeatureBits), ref Unsafe.Add(ref l, w));
                TOps.Store(TOps.ShiftRightLogical(n2, CompactFeatureBits), ref Unsafe.Add(ref l, 2 * w));
                TOps.Store(TOps.ShiftRightLogical(n3, CompactFeatureBits), ref Unsafe.Add(ref l, 3 * w));
                for (int i = 0; i < step; i++)
                {
                    AddLeaf(ref values, leaves[i], acc.Slice((r + i) * k, k));
                }
            }
        }

        if (r < count)
        {
            AccumulateTree(root, block.Slice(r * nf), count - r, acc.Slice(r * k));
        }
    }

    /// <summary>
    /// The vector walk for forests the 8-byte nodes cannot hold (<see cref="CompactForest"/>): the same walk as
    /// <see cref="AccumulateTree"/>, two vectors of rows at a time (16 rows at 256 bits): each step gathers the
    /// current nodes' feature, threshold and child and the rows' values, so the memory latencies of the walks overlap.
    /// The comparison is the scalar one (<c>x &gt; threshold</c> goes right, NaN goes left), so leaves and sums are
    /// identical. Leaves keep their node (a leaf's feature is -1; the value gathered for it reads feature 0, unused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulateTreeGathered<TOps, TInt, TFloat>(int root, ReadOnlySpan<float> block, int count, Span<double> acc)
        where TOps : ITreeWalkOps<TInt, TFloat>
        where TInt : struct
        where TFloat : struct
    {
        int k = ClassCount;
        int nf = FeatureCount;
        int w = TOps.Count;
        int step = 2 * w;
        int r = 0;
        fixed (PackedNode* packed = Packed)
        fixed (float* x = block)
        {
            int* feature = (int*)packed;
            float* threshold = (float*)packed + 1;
            int* child = (int*)packed + 2;
            ref float values = ref MemoryMarshal.GetArrayDataReference(_values);
            TInt laneRows = TOps.LaneMultiples(nf);
            TInt zero = TOps.Create(0);
            Span<int> leaves = stackalloc int[step];
            for (; r + step <= count; r += step)
            {
                TInt base0 = TOps.Add(laneRows, TOps.Create(r * nf));
                TInt base1 = TOps.Add(base0, TOps.Create(w * nf));
                TInt n0 = TOps.Create(root), n1 = n0;
                while (true)
                {
                    TInt i0 = TOps.ShiftLeft(n0, 2), i1 = TOps.ShiftLeft(n1, 2);
                    TInt f0 = TOps.Gather(feature, i0);
                    TInt f1 = TOps.Gather(feature, i1);
                    TInt leaf0 = TOps.LessThan(f0, zero), leaf1 = TOps.LessThan(f1, zero);
                    if (TOps.All(TOps.And(leaf0, leaf1)))
                    {
                        break;
                    }

                    TFloat x0 = TOps.Gather(x, TOps.Add(TOps.Max(f0, zero), base0));
                    TFloat x1 = TOps.Gather(x, TOps.Add(TOps.Max(f1, zero), base1));
                    TFloat t0 = TOps.Gather(threshold, i0);
                    TFloat t1 = TOps.Gather(threshold, i1);
                    TInt c0 = TOps.Gather(child, i0);
                    TInt c1 = TOps.Gather(child, i1);

                    // x > t is all ones (-1): subtracting it steps to the right child.
                    n0 = TOps.Select(leaf0, n0, TOps.Subtract(c0, TOps.GreaterThan(x0, t0)));
                    n1 = TOps.Select(leaf1, n1, TOps.Subtract(c1, TOps.GreaterThan(x1, t1)));
                }

                ref int l = ref MemoryMarshal.GetReference(leaves);
                TOps.Store(n0, ref l);
                TOps.Store(n1, ref Unsafe.Add(ref l, w));
                for (int i = 0; i < step; i++)
                {
                    AddLeaf(ref values, child[leaves[i] * 4], acc.Slice((r + i) * k, k));
                }
            }
        }

        if (r < count)
        {
            AccumulateTree(root, block.Slice(r * nf), count - r, acc.Slice(r * k));
        }
    }
}
