using System.Security.Cryptography;
using Inegi.UrbanGrowth.Testing;

namespace Inegi.UrbanGrowth.Reliability.Tests;

/// <summary>A small synthetic scene made with `urban synth` and the files the pipeline makes from it, shared by the tests of a class.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Urban.Ok(Urban.Run("synth", "--out", Dir.File("scene"), "--cells-x", "20", "--cells-y", "16", "--years", "2010", "--seed", "11"));
        Urban.Ok(Urban.Run("sample", "--grid", Grid, "--per-class", "25", "--seed", "4", "--out", Sample, "--mosaic", Mosaic));
        Urban.Ok(Urban.Run("features", "--mosaic", Mosaic, "--grid", Grid, "--cells", Sample, "--out", Features));
        Urban.Ok(Urban.Run("train", "--features", Features, "--out", Model, "--trees", "10", "--seed", "1", "--calibration-folds", "0"));
        Urban.Ok(Urban.Run("classify", "--mosaic", Mosaic, "--grid", Grid, "--model", Model, "--out", Map, "--threads", "2"));
    }

    public TempDirectory Dir { get; } = new();

    public string Mosaic => Dir.File(Path.Combine("scene", "mosaic_2010.tif"));

    public string Grid => Dir.File(Path.Combine("scene", "labels_2010.tif"));

    public string Sample => Dir.File("sample.csv");

    public string Features => Dir.File("features.csv");

    public string Model => Dir.File("model.ugm");

    public string Map => Dir.File("map.tif");

    /// <summary>A fresh folder for one test's outputs.</summary>
    public string NewFolder(string name)
    {
        string path = Dir.File(name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => Dir.Dispose();
}
