#:project ../Inegi.UrbanGrowth.Benchmarks/Inegi.UrbanGrowth.Benchmarks.csproj
// Writes GeomedianBenchmarks' synthetic stack (30 dates, 6 bands, NaN-masked, [obs][band][pixel] float32) to a raw
// file, so that geomad_time.py --raw times geomad on exactly the values the BenchmarkDotNet run uses.
// Usage: dotnet run synthetic_stack.cs -- PIXELS OUT.f32
using Inegi.UrbanGrowth.Benchmarks.Compositing;

int pixels = int.Parse(args[0]);
float[] stack = GeomedianBenchmarks.CreateStack(30, 6, pixels, 20);
File.WriteAllBytes(args[1], System.Runtime.InteropServices.MemoryMarshal.AsBytes(stack.AsSpan()).ToArray());
Console.WriteLine($"{args[1]}: 30 x 6 x {pixels} float32");
