using System.CommandLine;
using Inegi.UrbanGrowth.Cli;

// The `urban` tool: a thin shell over Inegi.UrbanGrowth.Pipeline that follows SPEC 8 (names, options, files,
// exit codes). Every command exits 0 on success and 1 with a one-line error on bad input; 2 on bad arguments.
return UrbanCli.Run(args);
