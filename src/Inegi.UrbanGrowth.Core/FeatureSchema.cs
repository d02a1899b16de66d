using System.Security.Cryptography;
using System.Text;

namespace Inegi.UrbanGrowth;

/// <summary>
/// The ordered, named columns of a feature matrix. Two schemas are compatible only when they hold the same
/// names in the same order; models and fitted selections check this before they accept a matrix.
/// </summary>
public sealed class FeatureSchema : IEquatable<FeatureSchema>
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a schema from column names.</summary>
    /// <param name="names">Column names, unique and non-empty.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    public FeatureSchema(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names];
        _index = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(_names[i]))
            {
                throw new ArgumentException($"Feature name {i} is empty.", nameof(names));
            }

            if (!_index.TryAdd(_names[i], i))
            {
                throw new ArgumentException($"Feature name '{_names[i]}' appears twice.", nameof(names));
            }
        }

        Fingerprint = ComputeFingerprint(_names);
    }

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of columns.</summary>
    public int Count => _names.Length;

    /// <summary>A short hex digest of the names and their order, for logs and model files.</summary>
    public string Fingerprint { get; }

    /// <summary>The column index of a name, or -1.</summary>
    /// <param name="name">Column name.</param>
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>A schema holding the given columns of this one, in the given order.</summary>
    /// <param name="indices">Column indices into this schema.</param>
    public FeatureSchema Select(IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new FeatureSchema(indices.Select(i => _names[i]));
    }

    /// <summary>Throws a clear error when <paramref name="other"/> is not this schema.</summary>
    /// <param name="other">The schema of the data offered.</param>
    /// <param name="what">What expects this schema (for the message), e.g. "the model".</param>
    /// <exception cref="ArgumentException">The schemas differ; the message names the first difference.</exception>
    public void EnsureCompatible(FeatureSchema other, string what)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Equals(other))
        {
            return;
        }

        if (other.Count != Count)
        {
            throw new ArgumentException($"{what} expects {Count} features but the data has {other.Count}.");
        }

        for (int i = 0; i < Count; i++)
        {
            if (!string.Equals(_names[i], other._names[i], StringComparison.Ordinal))
            {
                throw new ArgumentException($"{what} expects feature '{_names[i]}' at column {i} but the data has '{other._names[i]}'.");
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(FeatureSchema? other) =>
        other is not null && (ReferenceEquals(this, other) || (Fingerprint == other.Fingerprint && _names.AsSpan().SequenceEqual(other._names)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FeatureSchema s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Fingerprint);

    /// <inheritdoc/>
    public override string ToString() => $"{Count} features ({Fingerprint})";

    private static string ComputeFingerprint(string[] names)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(string.Join('\n', names));
        return Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));
    }
}
