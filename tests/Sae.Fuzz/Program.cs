using SharpFuzz;
using Sae.Fuzz;

// sae-fuzz: the fuzzing harness's entry point (tools/fuzz.sh drives it under AFL++).
//   sae-fuzz list                      the targets and the readers they call
//   sae-fuzz fuzz TARGET               run under afl-fuzz (SharpFuzz's in-process fork server)
//   sae-fuzz replay TARGET PATH...     feed files (or every file of folders) to TARGET; exit 1 on the first crash
//   sae-fuzz seeds CORPUS              write the seed corpus (run from the repository's root)
var targets = FuzzTargets.All.ToDictionary(t => t.Name);
if (args is [_, var named, ..] && args[0] is "fuzz" or "replay" && !targets.ContainsKey(named))
{
    Console.Error.WriteLine($"sae-fuzz: no target '{named}'; the targets are {string.Join(", ", targets.Keys)}");
    return 2;
}

switch (args)
{
    case ["list"]:
        foreach (var t in targets.Values) Console.WriteLine($"{t.Name}\t{t.Reader}");
        return 0;
    case ["fuzz", var name]:
    {
        // Instrumented code may run only inside Fuzzer.Run, which gives it the coverage map, so the
        // workspace (which calls the instrumented libraries) is made at the first input.
        // An input that kills the process (an access violation, a stack overflow) ends the fork server
        // before AFL++ can save it; with SAE_FUZZ_LAST set, each input is first written there.
        FuzzWorkspace? work = null;
        var last = Environment.GetEnvironmentVariable("SAE_FUZZ_LAST");
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var input = buffer.ToArray();
            if (last is not null) File.WriteAllBytes(last, input);
            targets[name].Run(input, work ??= new FuzzWorkspace());
        });
        return 0;
    }
    case ["replay", var name, .. var paths]:
    {
        using var work = new FuzzWorkspace();
        var files = paths.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]).ToList();
        foreach (var file in files)
        {
            try
            {
                targets[name].Run(File.ReadAllBytes(file), work);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"sae-fuzz: {name}: {file} crashes the reader: {e}");
                return 1;
            }
        }
        Console.WriteLine($"{name}: {files.Count} inputs, no crash");
        return 0;
    }
    case ["seeds", var corpus]:
    {
        using var work = new FuzzWorkspace();
        FuzzSeeds.Write(corpus, work);
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: sae-fuzz list | fuzz TARGET | replay TARGET PATH... | seeds CORPUS");
        return 2;
}
