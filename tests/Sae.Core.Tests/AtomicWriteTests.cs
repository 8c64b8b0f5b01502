using Sae.Core.IO;

namespace Sae.Core.Tests;

public sealed class AtomicWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void What_a_killed_writer_left_is_removed_by_the_next_write_and_nothing_else()
    {
        var file = Path.Combine(_dir, "model.safetensors");
        var folder = Path.Combine(_dir, "checkpoint");
        // Leftovers of a writer killed mid-write: a temporary file and a temporary folder.
        File.WriteAllText(AtomicFile.TempPath(file), "half");
        Directory.CreateDirectory(AtomicFile.TempPath(folder));
        // Names that only look alike stay.
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.notes.tmp"), "mine");
        File.WriteAllText(Path.Combine(_dir, "other.safetensors." + new string('a', 32) + ".tmp"), "another file's");

        AtomicFile.WriteAllText(file, "whole");
        AtomicDirectory.Replace(folder, fresh => File.WriteAllText(Path.Combine(fresh, "state.json"), "{}"));

        File.ReadAllText(file).Should().Be("whole");
        File.Exists(Path.Combine(folder, "state.json")).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Should().BeEquivalentTo(
            "model.safetensors", "checkpoint", "model.safetensors.notes.tmp", "other.safetensors." + new string('a', 32) + ".tmp");
    }
}
