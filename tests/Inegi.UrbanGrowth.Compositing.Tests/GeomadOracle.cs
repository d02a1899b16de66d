using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Compositing.Tests;

/// <summary>One stack the oracle wrote, with geomad's answers.</summary>
internal sealed record OracleStack(string Name, int N, int Bands, int Pixels, float[] Stack, float[] Median, float[] Emad, float[] Smad, float[] Bcmad);

/// <summary>
/// geomad itself, compiled from the copy under Oracle/geomad with Debian's cython3 into a temporary folder named after
/// a hash of the sources (once per machine), then run by Oracle/geomad_stacks.py on real and synthetic stacks; the
/// results are cached beside the module under a hash of the script.
/// </summary>
internal static class GeomadOracle
{
    private static readonly Lazy<IReadOnlyDictionary<string, OracleStack>> Results = new(Load);
    private static readonly Lazy<string> Module = new(BuildModule);

    public static IReadOnlyDictionary<string, OracleStack> Stacks => Results.Value;

    private static string Hash(params string[] files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string f in files)
        {
            sha.AppendData(File.ReadAllBytes(f));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static string OracleFile(string name) => Path.Combine(AppContext.BaseDirectory, "Oracle", name);

    /// <summary>Builds geomad's module unless a folder for these exact sources exists; returns the folder holding <c>geomad/</c>.</summary>
    private static string BuildModule()
    {
        string hash = Hash(OracleFile("geomad/pcm.pyx"), OracleFile("geomad/__init__.py"), OracleFile("geomad/utils.py"), OracleFile("build-geomad.sh"));
        string dir = Path.Combine(Path.GetTempPath(), "urbangrowth-geomad-" + hash);
        if (Directory.Exists(dir))
        {
            return dir;
        }

        // Build beside, then rename: a concurrent or interrupted build never leaves a half-built module behind the name.
        string building = dir + ".building-" + Guid.NewGuid().ToString("N");
        try
        {
            Oracles.Run("bash", [OracleFile("build-geomad.sh"), building], 600);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException("Building geomad failed; it needs cython3, python3-dev, gcc and python3-numpy (.ci/compositing-setup.sh installs them).", e);
        }

        try
        {
            Directory.Move(building, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            Directory.Delete(building, recursive: true);
        }

        return dir;
    }

    private static Dictionary<string, OracleStack> Load()
    {
        string module = Module.Value;
        string script = OracleFile("geomad_stacks.py");
        string dir = Path.Combine(module, "results-" + Hash(script));
        string index = Path.Combine(dir, "stacks.json");
        if (!File.Exists(index))
        {
            Directory.CreateDirectory(dir);
            string json = Oracles.Run(Oracles.Python, [script, dir, module, TestData.SharedDataDirectory], 600);
            AtomicFile.WriteAllText(index, json);
        }

        var stacks = new Dictionary<string, OracleStack>();
        foreach (JsonElement s in JsonDocument.Parse(File.ReadAllText(index)).RootElement.EnumerateArray())
        {
            string name = s.GetProperty("name").GetString()!;
            float[] Read(string kind) => ReadFloats(Path.Combine(dir, name + "." + kind + ".f32"));
            stacks[name] = new OracleStack(name, s.GetProperty("n").GetInt32(), s.GetProperty("bands").GetInt32(), s.GetProperty("pixels").GetInt32(),
                Read("stack"), Read("gm"), Read("emad"), Read("smad"), Read("bcmad"));
        }

        return stacks;
    }

    /// <summary>geomad's median and MADs of one stack ([obs][band][pixel], NaN = masked), run now (not cached).</summary>
    public static (float[] Median, float[] Emad, float[] Smad, float[] Bcmad) Run(float[] stack, int n, int bands, int pixels)
    {
        string dir = Path.Combine(Path.GetTempPath(), "urbangrowth-geomad-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "stack.f32");
            byte[] bytes = new byte[stack.Length * 4];
            Buffer.BlockCopy(stack, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(input, bytes);
            string prefix = Path.Combine(dir, "out");
            Oracles.Run(Oracles.Python, [OracleFile("geomad_run.py"), Module.Value, input, $"{n}", $"{bands}", $"{pixels}", prefix], 600);
            return (ReadFloats(prefix + ".gm.f32"), ReadFloats(prefix + ".emad.f32"), ReadFloats(prefix + ".smad.f32"), ReadFloats(prefix + ".bcmad.f32"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        float[] values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
