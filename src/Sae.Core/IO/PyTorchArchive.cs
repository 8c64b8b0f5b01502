using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;

namespace Sae.Core.IO;

/// <summary>
/// Reads a PyTorch <c>.pt</c> file (a zip archive holding <c>data.pkl</c> and one entry per storage)
/// through TorchSharp.PyBridge, after checking what PyBridge does not: the archive's declared sizes,
/// and a scan of the pickle (<see cref="PickleScan"/>) that refuses any global other than the
/// tensor-rebuilding ones and any tensor larger than the bytes behind it, so a hostile file is refused
/// before memory is allocated for it and nothing it names is ever loaded.
/// </summary>
internal static class PyTorchArchive
{
    /// <summary>The largest pickle read (a state dict's pickle is kilobytes; the tensors are in other entries).</summary>
    internal const long MaxPickleBytes = 64L << 20;

    /// <summary>
    /// The unpickled table of <paramref name="path"/>; <paramref name="refuse"/> turns a problem into the
    /// caller's exception (which names the file).
    /// </summary>
    public static Hashtable Read(string path, Func<string, Exception, Exception> refuse)
    {
        try
        {
            Check(path);
        }
        catch (InvalidDataException e)
        {
            throw refuse(e.Message, e);
        }
        try
        {
            return PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw refuse($"not a readable PyTorch file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Checks the archive and its pickle; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    internal static void Check(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        if (file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K' || magic[2] != 3 || magic[3] != 4)
            throw new InvalidDataException("not a zip archive: PyTorch files saved since version 1.6 are zips; re-save an older one with torch.save");
        file.Position = 0;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"a damaged zip archive ({e.Message})", e);
        }
        using (archive)
        {
            foreach (var entry in archive.Entries)
            {
                // Deflate cannot expand more than about 1032 times; PyTorch stores its entries uncompressed.
                if (entry.CompressedLength > file.Length || entry.Length > 1032 * entry.CompressedLength + 1024)
                    throw new InvalidDataException($"the zip entry '{entry.FullName}' declares {entry.Length} bytes from {entry.CompressedLength} in a file of {file.Length}");
            }
            var pickleEntry = archive.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal))
                              ?? throw new InvalidDataException("the archive has no data.pkl: not a PyTorch file");
            if (pickleEntry.Length > MaxPickleBytes)
                throw new InvalidDataException($"its data.pkl declares {pickleEntry.Length} bytes; a state dict's pickle is far smaller than {MaxPickleBytes}");
            var pickle = new byte[pickleEntry.Length];
            int read, extra;
            try
            {
                using var stream = pickleEntry.Open();
                read = stream.ReadAtLeast(pickle, pickle.Length, throwOnEndOfStream: false);
                extra = stream.ReadByte();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"its data.pkl cannot be decompressed ({e.Message})", e);
            }
            if (read < pickle.Length || extra >= 0)
                throw new InvalidDataException($"its data.pkl does not hold the {pickle.Length} bytes its zip entry declares");
            var contents = PickleScan.Scan(pickle);
            // Tensors that view one storage are each allocated whole; tied weights make a few, a hostile file millions.
            if (contents.TensorBytes > 4 * file.Length + (1L << 20))
                throw new InvalidDataException($"its tensors add up to {contents.TensorBytes} bytes, more than four times the file's {file.Length}: too many views of the same storage");
            foreach (var storage in contents.Storages)
            {
                var entry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("data/" + storage.Key, StringComparison.Ordinal))
                            ?? throw new InvalidDataException($"storage '{storage.Key}' has no entry in the archive");
                var bytes = storage.Elements > long.MaxValue / 16 ? long.MaxValue : storage.Elements * PickleScan.StorageElementBytes[storage.TypeName];
                if (bytes > entry.Length)
                    throw new InvalidDataException($"storage '{storage.Key}' declares {storage.Elements} elements of {storage.TypeName} ({bytes} bytes); its entry holds {entry.Length}");
            }
        }
    }
}
