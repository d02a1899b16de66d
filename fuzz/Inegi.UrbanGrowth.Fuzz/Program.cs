using Inegi.UrbanGrowth.Fuzz;
using SharpFuzz;

// urban-fuzz TARGET            afl++ driver (afl-fuzz ... -- dotnet urban-fuzz.dll TARGET), after `sharpfuzz` instrumented the assemblies
// urban-fuzz TARGET FILE...    runs the target on files, printing "accepted" / "refused" (reproduces a crash with its trace)
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: urban-fuzz {string.Join('|', FuzzTargets.Names)} [FILE...]");
    return 2;
}

string target = args[0];
if (args.Length > 1)
{
    foreach (string file in args[1..])
    {
        Console.WriteLine($"{file}: {(FuzzTargets.Run(target, file) ? "accepted" : "refused")}");
    }

    return 0;
}

// afl hands each input over a stream; the readers take paths, as the tool does, so it goes through one scratch file.
string scratch = Path.Combine(Path.GetTempPath(), $"urban-fuzz-{target}-{Environment.ProcessId}.bin");
try
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using (var file = File.Create(scratch))
        {
            stream.CopyTo(file);
        }

        FuzzTargets.Run(target, scratch);
    });
}
finally
{
    File.Delete(scratch);
}

return 0;
