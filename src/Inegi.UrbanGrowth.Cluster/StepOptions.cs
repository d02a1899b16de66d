using System.Globalization;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>The options of a step: each name holds one value or, for <see cref="StepOptionKind.InputFiles"/>, several.</summary>
public sealed class StepOptions
{
    private readonly SortedDictionary<string, string[]> _values;

    /// <summary>Creates options from names (without dashes) and values; absent options are simply not listed.</summary>
    /// <param name="values">Name to values.</param>
    public StepOptions(IEnumerable<KeyValuePair<string, string[]>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach ((string name, string[] v) in values)
        {
            _values[name] = [.. v];
        }
    }

    /// <summary>Every option given, by name (sorted, so plan.json is stable).</summary>
    public IReadOnlyDictionary<string, string[]> Values => _values;

    /// <summary>The option's single value, or null when it was not given.</summary>
    /// <param name="name">Option name.</param>
    public string? Get(string name) => _values.TryGetValue(name, out string[]? v) && v.Length > 0 ? v[0] : null;

    /// <summary>The option's values (empty when not given).</summary>
    /// <param name="name">Option name.</param>
    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out string[]? v) ? v : [];

    /// <summary>The option's value, which must be given.</summary>
    /// <param name="name">Option name.</param>
    /// <exception cref="ArgumentException">It was not given.</exception>
    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    /// <summary>The option as a float, or null.</summary>
    /// <param name="name">Option name.</param>
    /// <exception cref="ArgumentException">It is not a number.</exception>
    public float? GetFloat(string name) => Get(name) is not { } text ? null
        : float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
        : throw new ArgumentException($"--{name}: '{text}' is not a number");

    /// <summary>The same options with input paths made absolute, so tasks find them from any working folder.</summary>
    /// <param name="step">The step whose options these are.</param>
    public StepOptions WithAbsolutePaths(ITiledStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new StepOptions(_values.Select(kv => IsInput(step, kv.Key)
            ? new KeyValuePair<string, string[]>(kv.Key, [.. kv.Value.Select(Path.GetFullPath)])
            : kv));
    }

    /// <summary>The input files named by the options, in option order.</summary>
    /// <param name="step">The step whose options these are.</param>
    public IReadOnlyList<string> InputFiles(ITiledStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return [.. step.Options.Where(o => o.Kind != StepOptionKind.Value).SelectMany(o => GetAll(o.Name))];
    }

    private static bool IsInput(ITiledStep step, string name) =>
        step.Options.Any(o => o.Kind != StepOptionKind.Value && string.Equals(o.Name, name, StringComparison.Ordinal));
}
