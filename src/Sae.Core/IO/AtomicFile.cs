namespace Sae.Core.IO;

/// <summary>Writes a file whole or not at all: into a temporary file beside it, then renamed into place.</summary>
internal static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, then moves it there; the temporary file never survives.</summary>
    public static void Write(string path, Action<string> write)
    {
        RemoveStale(path);
        var temp = TempPath(path);
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

    /// <summary>A stream onto a temporary file that becomes <paramref name="path"/> on <see cref="PendingFile.Commit"/>, and vanishes if disposed before.</summary>
    public static PendingFile Create(string path)
    {
        RemoveStale(path);
        return new(path, TempPath(path));
    }

    /// <summary>A fresh temporary name beside <paramref name="path"/>: <c>path.&lt;32 hex digits&gt;.tmp</c>.</summary>
    internal static string TempPath(string path) => $"{path}.{Guid.NewGuid():N}.tmp";

    /// <summary>
    /// Deletes the temporary files and folders (<see cref="TempPath"/>) that a writer of <paramref name="path"/>
    /// killed mid-write left beside it. Each path has one writer at a time (a run writes its own folder), so a
    /// temporary name found before writing is never a live one.
    /// </summary>
    internal static void RemoveStale(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) return;
        var name = Path.GetFileName(full);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, name + ".*.tmp"))
        {
            var middle = Path.GetFileName(entry)[(name.Length + 1)..^4];
            if (middle.Length != 32 || !middle.All(char.IsAsciiHexDigitLower)) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    /// <summary>A file being written under a temporary name.</summary>
    internal sealed class PendingFile : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private bool _committed;

        /// <summary>Opens the temporary file.</summary>
        public PendingFile(string path, string temp)
        {
            (_path, _temp) = (path, temp);
            Stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        /// <summary>Where to write.</summary>
        public FileStream Stream { get; }

        /// <summary>Closes the file and renames it into place.</summary>
        public void Commit()
        {
            Stream.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _committed = true;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Stream.Dispose();
            if (!_committed) File.Delete(_temp);
        }
    }
}
