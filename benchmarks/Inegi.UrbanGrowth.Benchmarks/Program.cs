using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "paired-patches")
{
    Inegi.UrbanGrowth.Benchmarks.Patches.PairedKernelTiming.Run(args);
    return;
}

if (args.Length > 0 && args[0] == "paired-plan")
{
    Inegi.UrbanGrowth.Benchmarks.Pipeline.PairedPlanTiming.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
