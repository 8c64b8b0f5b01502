namespace Sae.Fuzz;

/// <summary>
/// One reader under fuzzing: <see cref="Run"/> gives it an input and returns normally when the reader
/// either accepts the input or refuses it with one of the exceptions its documentation names. Any other
/// exception escapes, and AFL++ records the input as a crash.
/// </summary>
/// <param name="Name">The name used on the command line and as the corpus folder (<c>corpus/NAME</c>).</param>
/// <param name="Reader">The public API the target calls, as docs/reliability.md lists it.</param>
/// <param name="Run">Feeds one input to the reader; file readers write it into the workspace first.</param>
internal sealed record FuzzTarget(string Name, string Reader, Action<byte[], FuzzWorkspace> Run);
