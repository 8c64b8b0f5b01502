namespace Sae.Core.Training;

/// <summary>
/// A checkpoint that could not be resumed from because its files are damaged (truncated by a full disk,
/// cut short by a copy, not valid JSON or safetensors). It was moved aside, not deleted, and training went
/// on from the previous checkpoint if one was left beside it, else from the start.
/// </summary>
/// <param name="Directory">The checkpoint's folder.</param>
/// <param name="Problem">What is wrong with it, naming the file.</param>
/// <param name="SetAsidePath">Where the damaged folder now is (<c>FOLDER.damaged</c>).</param>
public sealed record DamagedCheckpoint(string Directory, string Problem, string SetAsidePath)
{
    /// <summary>One line for a log: which checkpoint, what is wrong, where it went.</summary>
    public override string ToString() => $"the checkpoint {Directory} is damaged ({Problem}); it was set aside as {SetAsidePath} and training goes on without it";
}
