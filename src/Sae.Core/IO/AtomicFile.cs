namespace Sae.Core.IO;

/// <summary>Writes a file whole or not at all: into a temporary file beside it, then renamed into place.</summary>
internal static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, then moves it there; the temporary file never survives.</summary>
    public static void Write(string path, Action<string> write)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));
}
