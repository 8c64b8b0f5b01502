namespace Sae.Core.IO;

/// <summary>Replaces a directory whole: filled beside it, then swapped in by renames, so a crash leaves the old one or the new one.</summary>
internal static class AtomicDirectory
{
    /// <summary>Calls <paramref name="fill"/> with a fresh directory beside <paramref name="directory"/>, then swaps it into place.</summary>
    public static void Replace(string directory, Action<string> fill)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.RemoveStale(full);
        var fresh = AtomicFile.TempPath(full);
        Directory.CreateDirectory(fresh);
        try
        {
            fill(fresh);
            var old = full + ".old";
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            if (Directory.Exists(full)) Directory.Move(full, old);
            Directory.Move(fresh, full);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        finally
        {
            if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        }
    }
}
