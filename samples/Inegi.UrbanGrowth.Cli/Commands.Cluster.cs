using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Inegi.UrbanGrowth.Cluster;

namespace Inegi.UrbanGrowth.Cli;

/// <summary>
/// <c>urban plan STEP|status|slurm|kubernetes|run</c>, <c>urban task</c> and <c>urban merge</c>: national runs as
/// tile tasks (docs/cluster.md). The plan subcommands of the steps are built from <see cref="TiledSteps.All"/>.
/// </summary>
internal static class ClusterCommands
{
    /// <summary>Adds the cluster commands to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        var plan = new Command("plan", "Split a national step into tile tasks for Slurm, Kubernetes or this machine, and follow them (docs/cluster.md).");
        foreach (ITiledStep step in TiledSteps.All)
        {
            plan.Subcommands.Add(StepCommand(step));
        }

        plan.Subcommands.Add(StatusCommand());
        plan.Subcommands.Add(SlurmCommand());
        plan.Subcommands.Add(KubernetesCommand());
        plan.Subcommands.Add(RunCommand());
        root.Subcommands.Add(plan);
        root.Subcommands.Add(TaskCommand());
        root.Subcommands.Add(MergeCommand());
    }

    /// <summary>How the nodes run this same <c>urban</c>: the apphost itself, or <c>dotnet urban.dll</c>.</summary>
    internal static string[] Launcher()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell the path of this urban program");
        string? entry = Assembly.GetEntryAssembly()?.Location;
        return string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal) && !string.IsNullOrEmpty(entry)
            ? [process, entry]
            : [process];
    }

    private static Argument<string> PlanArgument() => new("PLAN") { Description = "The plan folder (holds plan.json)." };

    private static Option<int> Threads() => new("--threads") { Description = "Worker threads per task (-1: all cores; outputs do not depend on it).", DefaultValueFactory = _ => -1 };

    private static Command StepCommand(ITiledStep step)
    {
        var cmd = new Command(step.Name, step.Description + " Writes PLAN/plan.json: the options, the inputs with sizes and times, one task per tile.");
        var options = new List<(StepOption Spec, Option Option)>();
        foreach (StepOption spec in step.Options)
        {
            Option option = spec.Kind == StepOptionKind.InputFiles
                ? new Option<string[]>("--" + spec.Name) { Description = spec.Description, Required = spec.Required, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore }
                : new Option<string?>("--" + spec.Name) { Description = spec.Description, Required = spec.Required };
            options.Add((spec, option));
            cmd.Options.Add(option);
        }

        var tilesX = new Option<int>("--tiles-x") { Description = "Tiles across (whole cells each).", DefaultValueFactory = _ => 1 };
        var tilesY = new Option<int>("--tiles-y") { Description = "Tiles down.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "The plan folder to create.", Required = true };
        cmd.Options.Add(tilesX);
        cmd.Options.Add(tilesY);
        cmd.Options.Add(output);
        cmd.SetAction(p =>
        {
            var values = new List<KeyValuePair<string, string[]>>();
            foreach ((StepOption spec, Option option) in options)
            {
                string[]? given = option is Option<string[]> many ? p.GetValue(many) : p.GetValue((Option<string?>)option) is { } one ? [one] : null;
                if (given is { Length: > 0 })
                {
                    values.Add(new(spec.Name, given));
                }
            }

            TilePlan plan = TilePlan.Create(step, new StepOptions(values), p.GetValue(tilesX), p.GetValue(tilesY), p.GetValue(output)!, Launcher());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{plan.PlanFile}: step {step.Name}, {plan.Tiles.Count} tasks ({plan.TilesX} x {plan.TilesY} tiles of a {plan.Grid.Width} x {plan.Grid.Height} grid), {plan.Inputs.Count} inputs"));
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static Command StatusCommand()
    {
        var planArg = PlanArgument();
        var cmd = new Command("status", "Done, missing and failed tasks (with the error line); refreshes the VRTs of the tiles done so far in PLAN.") { planArg };
        cmd.SetAction(p =>
        {
            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            PlanStatus status = PlanStatus.Of(plan);
            Console.Write(status.ToString());
            foreach (string vrt in PlanMerger.WriteVrts(plan))
            {
                Console.WriteLine("tiles so far: " + vrt);
            }

            return status.IsComplete ? UrbanCli.Success : UrbanCli.DataError;
        });
        return cmd;
    }

    private static Command SlurmCommand()
    {
        var planArg = PlanArgument();
        var throttle = new Option<int>("--throttle") { Description = "Most array tasks at once (--array=...%N).", DefaultValueFactory = _ => 16 };
        var cpus = new Option<int>("--cpus") { Description = "CPUs per task (and threads of each task).", DefaultValueFactory = _ => 4 };
        var memory = new Option<string>("--mem") { Description = "Memory per task, e.g. 4G.", DefaultValueFactory = _ => "4G" };
        var time = new Option<string?>("--time") { Description = "Wall-time limit per task, e.g. 01:00:00." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var mergeOut = new Option<string?>("--merge-out") { Description = "Where the merge job writes the national outputs (default PLAN/merged)." };
        var notDone = new Option<bool>("--not-done") { Description = "Only the tasks not done yet (resubmission after failures or cancellations)." };
        var cmd = new Command("slurm", "Write an sbatch array script of the tasks, a merge job and a submit script (merge --dependency=afterok on the tasks); prints their paths.") { planArg, throttle, cpus, memory, time, partition, mergeOut, notDone };
        cmd.SetAction(p =>
        {
            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            (string tasks, string merge, string submit) = EngineScripts.WriteSlurm(plan, new SlurmOptions
            {
                Throttle = p.GetValue(throttle),
                CpusPerTask = p.GetValue(cpus),
                Memory = p.GetValue(memory)!,
                Time = p.GetValue(time),
                Partition = p.GetValue(partition),
                MergeOutput = p.GetValue(mergeOut),
                OnlyNotDone = p.GetValue(notDone),
            });
            Console.WriteLine(tasks);
            Console.WriteLine(merge);
            Console.WriteLine(submit);
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static Command KubernetesCommand()
    {
        var planArg = PlanArgument();
        var image = new Option<string>("--image") { Description = "Container image with the same urban.", DefaultValueFactory = _ => "inegi/urban:latest" };
        var parallelism = new Option<int>("--parallelism") { Description = "Pods at once.", DefaultValueFactory = _ => 16 };
        var backoff = new Option<int>("--backoff-limit-per-index") { Description = "Retries of each index after a retryable failure.", DefaultValueFactory = _ => 3 };
        var claim = new Option<string>("--claim") { Description = "PersistentVolumeClaim with the data and the plan (ReadWriteMany).", DefaultValueFactory = _ => "urban-data" };
        var mount = new Option<string?>("--mount") { Description = "Mount path of the volume (default: the deepest folder holding the plan and its inputs)." };
        var cpus = new Option<int>("--cpus") { Description = "CPUs per pod.", DefaultValueFactory = _ => 4 };
        var memory = new Option<string>("--mem") { Description = "Memory per pod, e.g. 4Gi.", DefaultValueFactory = _ => "4Gi" };
        var mergeOut = new Option<string?>("--merge-out") { Description = "Where the merge job writes the national outputs (default PLAN/merged)." };
        var cmd = new Command("kubernetes", "Write an Indexed Job manifest of the tasks and a merge Job manifest into PLAN/kubernetes; prints their paths.") { planArg, image, parallelism, backoff, claim, mount, cpus, memory, mergeOut };
        cmd.SetAction(p =>
        {
            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            (string tasks, string merge) = EngineScripts.WriteKubernetes(plan, new KubernetesOptions
            {
                Image = p.GetValue(image)!,
                Parallelism = p.GetValue(parallelism),
                BackoffLimitPerIndex = p.GetValue(backoff),
                VolumeClaim = p.GetValue(claim)!,
                MountPath = p.GetValue(mount),
                Cpus = p.GetValue(cpus),
                Memory = p.GetValue(memory)!,
                MergeOutput = p.GetValue(mergeOut),
            });
            Console.WriteLine(tasks);
            Console.WriteLine(merge);
            return UrbanCli.Success;
        });
        return cmd;
    }

    private static Command RunCommand()
    {
        var planArg = PlanArgument();
        var parallel = new Option<int>("--parallel") { Description = "Tasks at once on this machine.", DefaultValueFactory = _ => 1 };
        var threads = Threads();
        var cmd = new Command("run", "Run the tasks not done yet on this machine, N at a time (each an 'urban task' process).") { planArg, parallel, threads };
        cmd.SetAction(p =>
        {
            if (p.GetValue(parallel) < 1)
            {
                throw new ArgumentException("--parallel must be at least 1");
            }

            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            int code = LocalRunner.Run(plan, p.GetValue(parallel), p.GetValue(threads), line => Console.WriteLine(line));
            Console.Write(PlanStatus.Of(plan).ToString());
            return code;
        });
        return cmd;
    }

    private static Command TaskCommand()
    {
        var planArg = PlanArgument();
        var index = new Option<int?>("--index") { Description = "The task; default: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (Kubernetes Indexed Job)." };
        var threads = Threads();
        var cmd = new Command("task", "Run one tile task of a plan (skipped when already complete). Exit 0 done, 75 failed (retry), 1 bad data or 2 bad argument (do not retry).") { planArg, index, threads };
        cmd.SetAction(p =>
        {
            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            int i = p.GetValue(index) ?? TileTask.IndexFromEnvironment();
            TaskOutcome outcome = TileTask.Run(plan, i, p.GetValue(threads));
            if (outcome.ExitCode == TaskExitCodes.Success)
            {
                Console.WriteLine(outcome.Message);
            }
            else
            {
                Console.Error.WriteLine("urban: error: " + outcome.Message);
            }

            return outcome.ExitCode;
        });
        return cmd;
    }

    private static Command MergeCommand()
    {
        var planArg = PlanArgument();
        var output = new Option<string>("--out") { Description = "The folder of the national outputs (as the single-process step writes them).", Required = true };
        var cmd = new Command("merge", "Merge a complete plan's tiles into the national outputs (byte-identical to the single-process run) and a VRT of the tiles in PLAN.") { planArg, output };
        cmd.SetAction(p =>
        {
            TilePlan plan = TilePlan.Load(p.GetValue(planArg)!);
            foreach (string file in PlanMerger.Merge(plan, p.GetValue(output)!))
            {
                Console.WriteLine(file);
            }

            return UrbanCli.Success;
        });
        return cmd;
    }
}
