using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Inegi.UrbanGrowth.Cluster;

/// <summary>Settings of the Slurm scripts.</summary>
public sealed record SlurmOptions
{
    /// <summary>Most array tasks running at once (<c>--array=...%N</c>).</summary>
    public int Throttle { get; init; } = 16;

    /// <summary>CPUs per task (<c>--cpus-per-task</c>; the task uses as many threads).</summary>
    public int CpusPerTask { get; init; } = 4;

    /// <summary>Memory per task (<c>--mem</c>, e.g. <c>4G</c>).</summary>
    public string Memory { get; init; } = "4G";

    /// <summary>Wall-time limit per task (<c>--time</c>), or null for the partition's.</summary>
    public string? Time { get; init; }

    /// <summary>Partition, or null for the default.</summary>
    public string? Partition { get; init; }

    /// <summary>Where the merge job writes the national outputs; null: <c>PLAN/merged</c>.</summary>
    public string? MergeOutput { get; init; }

    /// <summary>Only the tasks not done yet (a resubmission after failures or cancellations).</summary>
    public bool OnlyNotDone { get; init; }
}

/// <summary>Settings of the Kubernetes manifests.</summary>
public sealed record KubernetesOptions
{
    /// <summary>The container image holding the same <c>urban</c> (its launcher must be on the image's path).</summary>
    public string Image { get; init; } = "inegi/urban:latest";

    /// <summary>Pods running at once.</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>Retries of each index after a retryable failure (exit 75, or the pod killed).</summary>
    public int BackoffLimitPerIndex { get; init; } = 3;

    /// <summary>The PersistentVolumeClaim holding the data and the plan (a shared file system, ReadWriteMany).</summary>
    public string VolumeClaim { get; init; } = "urban-data";

    /// <summary>Where the volume is mounted in the pods; null: the deepest folder holding the plan and its inputs, so paths stay valid.</summary>
    public string? MountPath { get; init; }

    /// <summary>CPU request and limit per pod.</summary>
    public int Cpus { get; init; } = 4;

    /// <summary>Memory request and limit per pod (e.g. <c>4Gi</c>).</summary>
    public string Memory { get; init; } = "4Gi";

    /// <summary>Where the merge job writes the national outputs; null: <c>PLAN/merged</c>.</summary>
    public string? MergeOutput { get; init; }
}

/// <summary>Writes the engine files of a plan: Slurm batch scripts and Kubernetes Indexed Job manifests.</summary>
public static class EngineScripts
{
    /// <summary>
    /// Writes <c>PLAN/slurm/tasks.sbatch</c> (an array job, one element per task to run, throttled),
    /// <c>PLAN/slurm/merge.sbatch</c> and <c>PLAN/slurm/submit.sh</c>, which submits the array and the merge with
    /// <c>--dependency=afterok</c> on it.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Throttle, resources.</param>
    /// <returns>The array script, the merge script and the submit script.</returns>
    /// <exception cref="InvalidOperationException">With <see cref="SlurmOptions.OnlyNotDone"/>: every task is done.</exception>
    public static (string Tasks, string Merge, string Submit) WriteSlurm(TilePlan plan, SlurmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new SlurmOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Throttle, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CpusPerTask, 1);
        IReadOnlyList<int> indices = options.OnlyNotDone ? PlanStatus.Of(plan).NotDone : [.. plan.Tiles.Select(t => t.Index)];
        if (indices.Count == 0)
        {
            throw new InvalidOperationException($"{plan.PlanFile}: every task is done; nothing to submit");
        }

        string folder = Path.Combine(plan.Folder, "slurm");
        string logs = Path.Combine(plan.Folder, "logs");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(logs);
        string merged = Path.GetFullPath(options.MergeOutput ?? Path.Combine(plan.Folder, "merged"));
        string name = "urban-" + plan.Step.Name;
        var inv = CultureInfo.InvariantCulture;

        var tasks = new StringBuilder("#!/bin/bash\n");
        tasks.Append(inv, $"#SBATCH --job-name={name}\n");
        tasks.Append(inv, $"#SBATCH --array={PlanStatus.ArraySpec(indices)}%{options.Throttle}\n");
        AppendResources(tasks, options, Path.Combine(logs, "task-%A_%a.out"));
        tasks.Append("# One tile per array element; exit 75 = failed, retry; 1 or 2 = bad input, do not retry (docs/cluster.md).\n");
        tasks.Append("exec ").Append(Command(plan, "task", plan.Folder, "--threads", options.CpusPerTask.ToString(inv))).Append('\n');

        var merge = new StringBuilder("#!/bin/bash\n");
        merge.Append(inv, $"#SBATCH --job-name={name}-merge\n");
        AppendResources(merge, options with { CpusPerTask = 1 }, Path.Combine(logs, "merge-%j.out"));
        merge.Append("exec ").Append(Command(plan, "merge", plan.Folder, "--out", merged)).Append('\n');

        string tasksPath = Path.Combine(folder, options.OnlyNotDone ? "tasks-not-done.sbatch" : "tasks.sbatch");
        string mergePath = Path.Combine(folder, "merge.sbatch");
        string submitPath = Path.Combine(folder, options.OnlyNotDone ? "submit-not-done.sh" : "submit.sh");
        var submit = new StringBuilder("#!/bin/bash\n# Submits the tasks, then the merge once every one of them succeeded.\nset -euo pipefail\n");
        submit.Append(inv, $"tasks=$(sbatch --parsable {Quote(tasksPath)})\n");
        submit.Append(inv, $"merge=$(sbatch --parsable --dependency=afterok:${{tasks%%;*}} {Quote(mergePath)})\n");
        submit.Append("echo \"tasks job $tasks, merge job $merge\"\n");
        WriteScript(tasksPath, tasks.ToString());
        WriteScript(mergePath, merge.ToString());
        WriteScript(submitPath, submit.ToString());
        return (tasksPath, mergePath, submitPath);
    }

    /// <summary>
    /// Writes <c>PLAN/kubernetes/tasks.yaml</c>, an Indexed Job (one completion per task, a pod failure policy that
    /// fails an index at once on exit 1 or 2 and retries it up to backoffLimitPerIndex times otherwise) and
    /// <c>PLAN/kubernetes/merge.yaml</c>, the merge Job to apply once the tasks Job is complete.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Image, parallelism, volume.</param>
    /// <returns>The two manifests.</returns>
    public static (string Tasks, string Merge) WriteKubernetes(TilePlan plan, KubernetesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new KubernetesOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BackoffLimitPerIndex);
        string folder = Path.Combine(plan.Folder, "kubernetes");
        Directory.CreateDirectory(folder);
        string mount = options.MountPath ?? CommonFolder([plan.Folder, .. plan.Inputs.Select(i => Path.GetDirectoryName(i.Path)!)]);
        string merged = Path.GetFullPath(options.MergeOutput ?? Path.Combine(plan.Folder, "merged"));
        string name = "urban-" + plan.Step.Name + "-" + Hash(plan.Folder);
        var inv = CultureInfo.InvariantCulture;
        var tasks = new StringBuilder();
        tasks.Append("# kubectl apply -f tasks.yaml; kubectl wait --for=condition=complete --timeout=24h job/").Append(name).Append("; kubectl apply -f merge.yaml\n");
        tasks.Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n").Append(inv, $"  name: {name}\n");
        tasks.Append("spec:\n  completionMode: Indexed\n");
        tasks.Append(inv, $"  completions: {plan.Tiles.Count}\n  parallelism: {Math.Min(options.Parallelism, plan.Tiles.Count)}\n");
        tasks.Append(inv, $"  backoffLimitPerIndex: {options.BackoffLimitPerIndex}\n  maxFailedIndexes: {plan.Tiles.Count}\n");
        tasks.Append("  podFailurePolicy:\n    rules:\n");
        tasks.Append("    - action: FailIndex   # bad input: exit 1 or 2, the same input fails the same way\n");
        tasks.Append("      onExitCodes:\n        containerName: urban\n        operator: In\n        values: [1, 2]\n");
        tasks.Append("    - action: Ignore      # a pod evicted or preempted does not count against the retries\n");
        tasks.Append("      onPodConditions:\n      - type: DisruptionTarget\n");
        AppendPodTemplate(tasks, plan, options, mount, ["task", plan.Folder, "--threads", options.Cpus.ToString(inv)]);
        var merge = new StringBuilder();
        merge.Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n").Append(inv, $"  name: {name}-merge\n");
        merge.Append("spec:\n  backoffLimit: 2\n");
        AppendPodTemplate(merge, plan, options with { Cpus = 1 }, mount, ["merge", plan.Folder, "--out", merged]);
        string tasksPath = Path.Combine(folder, "tasks.yaml"), mergePath = Path.Combine(folder, "merge.yaml");
        AtomicFile.WriteAllText(tasksPath, tasks.ToString());
        AtomicFile.WriteAllText(mergePath, merge.ToString());
        return (tasksPath, mergePath);
    }

    private static void AppendResources(StringBuilder script, SlurmOptions options, string log)
    {
        var inv = CultureInfo.InvariantCulture;
        script.Append(inv, $"#SBATCH --cpus-per-task={options.CpusPerTask}\n#SBATCH --mem={options.Memory}\n");
        script.Append(inv, $"#SBATCH --output={log}\n");
        if (options.Time is { } time)
        {
            script.Append(inv, $"#SBATCH --time={time}\n");
        }

        if (options.Partition is { } partition)
        {
            script.Append(inv, $"#SBATCH --partition={partition}\n");
        }
    }

    private static void AppendPodTemplate(StringBuilder yaml, TilePlan plan, KubernetesOptions options, string mount, string[] arguments)
    {
        var inv = CultureInfo.InvariantCulture;
        yaml.Append("  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: urban\n");
        yaml.Append(inv, $"        image: {Yaml(options.Image)}\n");
        yaml.Append("        command: [").Append(string.Join(", ", plan.Launcher.Select(Yaml))).Append("]\n");
        yaml.Append("        args: [").Append(string.Join(", ", arguments.Select(Yaml))).Append("]\n");
        yaml.Append(inv, $"        resources:\n          requests: {{cpu: \"{options.Cpus}\", memory: {Yaml(options.Memory)}}}\n");
        yaml.Append(inv, $"          limits: {{cpu: \"{options.Cpus}\", memory: {Yaml(options.Memory)}}}\n");
        yaml.Append(inv, $"        volumeMounts:\n        - name: data\n          mountPath: {Yaml(mount)}\n");
        yaml.Append(inv, $"      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: {Yaml(options.VolumeClaim)}\n");
    }

    private static string Command(TilePlan plan, params string[] arguments) => string.Join(' ', plan.Launcher.Concat(arguments).Select(Quote));

    /// <summary>Single-quotes a word for bash.</summary>
    internal static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Yaml(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static void WriteScript(string path, string text)
    {
        AtomicFile.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>The deepest folder holding every path (folders as given, files by their folder).</summary>
    private static string CommonFolder(IEnumerable<string> folders)
    {
        string[][] parts = [.. folders.Select(p => Path.GetFullPath(p).Split('/', StringSplitOptions.RemoveEmptyEntries))];
        int n = 0;
        while (parts.All(p => p.Length > n && string.Equals(p[n], parts[0][n], StringComparison.Ordinal)))
        {
            n++;
        }

        return "/" + string.Join('/', parts[0].Take(n));
    }

    private static string Hash(string text)
    {
        byte[] digest = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(digest)[..8];
    }
}

/// <summary>Runs a plan's tasks on this machine, N at a time, each as its own <c>urban task</c> process.</summary>
public static class LocalRunner
{
    /// <summary>Runs every task not done yet and waits for them.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="parallel">Tasks at once.</param>
    /// <param name="threadsPerTask">Threads each task uses.</param>
    /// <param name="log">Receives each task's outcome line.</param>
    /// <param name="cancellationToken">Stops launching and kills the running tasks.</param>
    /// <returns>0 when every task succeeded, else the worst exit code (75 before 1 before 2: retryable failures first).</returns>
    public static int Run(TilePlan plan, int parallel, int threadsPerTask, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        int[] todo = [.. PlanStatus.Of(plan).NotDone];
        var codes = new int[todo.Length];
        Parallel.For(0, todo.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, i =>
        {
            var psi = new ProcessStartInfo(plan.Launcher[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in plan.Launcher.Skip(1).Concat(["task", plan.Folder, "--index", todo[i].ToString(CultureInfo.InvariantCulture), "--threads", threadsPerTask.ToString(CultureInfo.InvariantCulture)]))
            {
                psi.ArgumentList.Add(a);
            }

            using Process process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + plan.Launcher[0]);
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using (cancellationToken.Register(() => process.Kill(entireProcessTree: true)))
            {
                process.WaitForExit();
            }

            codes[i] = process.ExitCode;
            log?.Invoke((stdout.Result + stderr.Result).Trim());
        });

        return codes.Contains(TaskExitCodes.TryAgain) ? TaskExitCodes.TryAgain
            : codes.Contains(TaskExitCodes.BadData) ? TaskExitCodes.BadData
            : codes.FirstOrDefault(c => c != 0);
    }
}
