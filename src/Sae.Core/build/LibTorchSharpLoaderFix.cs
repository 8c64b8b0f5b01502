// Compiled by MSBuild as an inline task (RoslynCodeTaskFactory, see Sae.Core.targets) and, with
// SAE_LOADER_FIX_WITHOUT_MSBUILD defined, by the test project that checks it.
//
// Why: TorchSharp's libLibTorchSharp.so is linked against a libstdc++ that tags one symbol,
// std::ios_base_library_init() (a placeholder that newer GCC headers emit and nothing calls), with
// the version GLIBCXX_3.4.32. Debian 12 and Ubuntu 22.04 ship an older libstdc++, so the dynamic
// loader refuses the whole library. Marking that one version requirement weak (VER_FLG_WEAK in
// .gnu.version_r) lets the loader accept the library; the placeholder is never bound because it is
// never called. Only requirements whose every symbol is such a known placeholder are weakened, so a
// future library that truly needs a newer libstdc++ still fails loudly rather than at a call.
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Sae.Build
{
    /// <summary>One version requirement (a Vernaux entry) of an ELF shared object.</summary>
    public sealed class ElfVersionRequirement
    {
        /// <summary>Creates a requirement record.</summary>
        public ElfVersionRequirement(string library, string version, ushort flags, ushort index, int flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The needed library's file name, e.g. <c>libstdc++.so.6</c>.</summary>
        public string Library { get; }

        /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        /// <summary>The vna_flags field; bit 2 (<see cref="ElfVersions.WeakFlag"/>) makes it optional.</summary>
        public ushort Flags { get; }

        /// <summary>The version index that .gnu.version assigns to symbols of this version.</summary>
        public ushort Index { get; }

        /// <summary>File offset of the vna_flags field.</summary>
        public int FlagsOffset { get; }

        /// <summary>Whether the loader treats this requirement as optional.</summary>
        public bool IsWeak => (Flags & ElfVersions.WeakFlag) != 0;
    }

    /// <summary>Reads the symbol-versioning sections of a little-endian ELF64 file.</summary>
    public sealed class ElfVersions
    {
        /// <summary>VER_FLG_WEAK: a version requirement the loader may leave unsatisfied.</summary>
        public const ushort WeakFlag = 0x2;

        private const uint ShtDynsym = 11;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVersym = 0x6fffffff;

        private readonly byte[] _elf;
        private readonly List<Section> _sections = new List<Section>();

        private ElfVersions(byte[] elf)
        {
            _elf = elf;
            var sectionTable = Offset(U64(0x28), 0, "section header table");
            var entrySize = U16(0x3A);
            var count = U16(0x3C);
            if (entrySize < 64)
                throw new InvalidDataException($"ELF section header size {entrySize} is smaller than 64.");
            for (var i = 0; i < count; i++)
            {
                var h = Offset((ulong)sectionTable + (ulong)(i * entrySize), 64, "section header");
                _sections.Add(new Section(U32(h + 4), Offset(U64(h + 24), 0, "section"), U64(h + 32), U32(h + 40), U32(h + 44)));
            }
        }

        /// <summary>True when <paramref name="bytes"/> starts like a little-endian ELF64 object.</summary>
        public static bool IsElf64LittleEndian(byte[] bytes) =>
            bytes.Length >= 64 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F'
            && bytes[4] == 2 && bytes[5] == 1;

        /// <summary>Parses <paramref name="elf"/>; throws <see cref="InvalidDataException"/> if it is not ELF64 LE or is truncated.</summary>
        public static ElfVersions Parse(byte[] elf)
        {
            if (!IsElf64LittleEndian(elf))
                throw new InvalidDataException("Not a little-endian ELF64 file.");
            return new ElfVersions(elf);
        }

        /// <summary>Every version requirement (.gnu.version_r) with the library that must provide it.</summary>
        public IReadOnlyList<ElfVersionRequirement> Requirements()
        {
            var result = new List<ElfVersionRequirement>();
            foreach (var s in _sections)
            {
                if (s.Type != ShtGnuVerneed) continue;
                var strings = StringTable(s);
                var entry = s.Offset;
                for (var i = 0; i < s.Info; i++)
                {
                    Offset((ulong)entry, 16, "Verneed");
                    var library = Str(strings, U32(entry + 4));
                    var aux = entry + (int)U32(entry + 8);
                    var auxCount = U16(entry + 2);
                    for (var j = 0; j < auxCount; j++)
                    {
                        Offset((ulong)aux, 16, "Vernaux");
                        result.Add(new ElfVersionRequirement(library, Str(strings, U32(aux + 8)), U16(aux + 4), U16(aux + 6), aux + 4));
                        aux += (int)U32(aux + 12);
                    }
                    var next = U32(entry + 12);
                    if (next == 0) break;
                    entry += (int)next;
                }
            }
            return result;
        }

        /// <summary>Every version name this object defines (.gnu.version_d), e.g. a libstdc++'s GLIBCXX_* list.</summary>
        public ISet<string> DefinedVersions()
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in _sections)
            {
                if (s.Type != ShtGnuVerdef) continue;
                var strings = StringTable(s);
                var entry = s.Offset;
                for (var i = 0; i < s.Info; i++)
                {
                    Offset((ulong)entry, 20, "Verdef");
                    var aux = entry + (int)U32(entry + 12);
                    Offset((ulong)aux, 8, "Verdaux");
                    result.Add(Str(strings, U32(aux)));
                    var next = U32(entry + 16);
                    if (next == 0) break;
                    entry += (int)next;
                }
            }
            return result;
        }

        /// <summary>Names of the dynamic symbols bound to version index <paramref name="index"/>.</summary>
        public IReadOnlyList<string> SymbolsOfVersion(ushort index)
        {
            var result = new List<string>();
            Section dynsym = null, versym = null;
            foreach (var s in _sections)
            {
                if (s.Type == ShtDynsym) dynsym = s;
                if (s.Type == ShtGnuVersym) versym = s;
            }
            if (dynsym == null || versym == null) return result;
            var strings = StringTable(dynsym);
            var count = (int)(dynsym.Size / 24);
            for (var i = 0; i < count; i++)
            {
                var v = U16(Offset((ulong)versym.Offset + (ulong)(2 * i), 2, "versym"));
                if ((v & 0x7FFF) != index) continue;
                var sym = Offset((ulong)dynsym.Offset + (ulong)(24 * i), 24, "dynsym");
                result.Add(Str(strings, U32(sym)));
            }
            return result;
        }

        private Section StringTable(Section s)
        {
            if (s.Link >= _sections.Count)
                throw new InvalidDataException($"ELF section links to missing string table {s.Link}.");
            return _sections[(int)s.Link];
        }

        private string Str(Section table, uint offset)
        {
            var start = Offset((ulong)table.Offset + offset, 1, "string");
            var end = start;
            while (end < _elf.Length && _elf[end] != 0) end++;
            return Encoding.ASCII.GetString(_elf, start, end - start);
        }

        private int Offset(ulong offset, int length, string what)
        {
            if (offset + (ulong)length > (ulong)_elf.Length)
                throw new InvalidDataException($"ELF file is truncated: {what} at offset {offset} lies beyond its {_elf.Length} bytes.");
            return (int)offset;
        }

        private ushort U16(int at) => (ushort)(_elf[at] | (_elf[at + 1] << 8));

        private uint U32(int at) => (uint)(U16(at) | (U16(at + 2) << 16));

        private ulong U64(int at) => U32(at) | ((ulong)U32(at + 4) << 32);

        private sealed class Section
        {
            public Section(uint type, int offset, ulong size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }
            public int Offset { get; }
            public ulong Size { get; }
            public uint Link { get; }
            public uint Info { get; }
        }
    }

    /// <summary>What <see cref="LibTorchSharpLoaderFix.Apply"/> did to a file.</summary>
    public enum LoaderFixOutcome
    {
        /// <summary>The system's libstdc++ defines every version the file needs: left alone.</summary>
        NotNeeded,

        /// <summary>The missing versions were already weak (an earlier build patched it).</summary>
        AlreadyPatched,

        /// <summary>Missing placeholder-only versions were marked weak.</summary>
        Patched,

        /// <summary>A missing version carries real symbols: not patched, the library will not load.</summary>
        Unfixable,
    }

    /// <summary>Makes libLibTorchSharp.so loadable on systems whose libstdc++ lacks GLIBCXX_3.4.32.</summary>
    public static class LibTorchSharpLoaderFix
    {
        /// <summary>Symbols that newer libstdc++ headers reference but no code path calls.</summary>
        public static readonly IReadOnlyCollection<string> PlaceholderSymbols = new[] { "_ZSt21ios_base_library_initv" };

        /// <summary>Where a Linux distribution keeps its libstdc++; the first that exists is used.</summary>
        public static readonly IReadOnlyList<string> SystemLibstdcxxCandidates = new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The system's libstdc++.so.6, or null where none of the usual places has it.</summary>
        public static string FindSystemLibstdcxx()
        {
            foreach (var path in SystemLibstdcxxCandidates)
                if (File.Exists(path)) return path;
            return null;
        }

        /// <summary>
        /// Weakens, in <paramref name="libraryPath"/>, each libstdc++ version requirement that the
        /// system's libstdc++ (<paramref name="systemLibstdcxxPath"/>; null where there is none) does not
        /// define; see <see cref="Apply(string, ISet{string}, out string)"/>.
        /// </summary>
        public static LoaderFixOutcome Apply(string libraryPath, string systemLibstdcxxPath, out string detail)
        {
            ISet<string> available = systemLibstdcxxPath == null
                ? new HashSet<string>()
                : ElfVersions.Parse(File.ReadAllBytes(systemLibstdcxxPath)).DefinedVersions();
            return Apply(libraryPath, available, out detail);
        }

        /// <summary>
        /// Weakens, in <paramref name="libraryPath"/>, each libstdc++ version requirement missing from
        /// <paramref name="availableVersions"/> whose symbols are all <see cref="PlaceholderSymbols"/>.
        /// The file is replaced atomically (a hard link to a package cache is broken, never written
        /// through), and only when something changes. <paramref name="detail"/> names the versions involved.
        /// </summary>
        public static LoaderFixOutcome Apply(string libraryPath, ISet<string> availableVersions, out string detail)
        {
            var bytes = File.ReadAllBytes(libraryPath);
            var elf = ElfVersions.Parse(bytes);
            var toWeaken = new List<ElfVersionRequirement>();
            var alreadyWeak = new List<string>();
            foreach (var r in elf.Requirements())
            {
                if (!r.Library.StartsWith("libstdc++", StringComparison.Ordinal) || availableVersions.Contains(r.Version)) continue;
                if (r.IsWeak)
                {
                    alreadyWeak.Add(r.Version);
                    continue;
                }
                var symbols = elf.SymbolsOfVersion(r.Index);
                foreach (var symbol in symbols)
                {
                    if (!Contains(PlaceholderSymbols, symbol))
                    {
                        detail = $"{r.Version} is missing from the system's libstdc++ and provides {symbol}, which is not a placeholder";
                        return LoaderFixOutcome.Unfixable;
                    }
                }
                toWeaken.Add(r);
            }

            if (toWeaken.Count == 0)
            {
                detail = alreadyWeak.Count == 0 ? "no missing libstdc++ version" : string.Join(", ", alreadyWeak);
                return alreadyWeak.Count == 0 ? LoaderFixOutcome.NotNeeded : LoaderFixOutcome.AlreadyPatched;
            }

            var names = new List<string>();
            foreach (var r in toWeaken)
            {
                var flags = (ushort)(r.Flags | ElfVersions.WeakFlag);
                bytes[r.FlagsOffset] = (byte)flags;
                bytes[r.FlagsOffset + 1] = (byte)(flags >> 8);
                names.Add(r.Version);
            }
            ReplaceAtomically(libraryPath, bytes);
            detail = string.Join(", ", names);
            return LoaderFixOutcome.Patched;
        }

        private static bool Contains(IReadOnlyCollection<string> set, string value)
        {
            foreach (var s in set)
                if (s == value) return true;
            return false;
        }

        private static void ReplaceAtomically(string path, byte[] bytes)
        {
            var temp = path + ".sae-" + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.WriteAllBytes(temp, bytes);
                File.Replace(temp, path, null);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }

#if !SAE_LOADER_FIX_WITHOUT_MSBUILD
    /// <summary>MSBuild task: applies <see cref="LibTorchSharpLoaderFix"/> to each existing file of <see cref="Files"/>.</summary>
    public sealed class FixLibTorchSharpLoader : Microsoft.Build.Utilities.Task
    {
        /// <summary>Candidate copies of libLibTorchSharp.so; missing ones are skipped.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            var system = LibTorchSharpLoaderFix.FindSystemLibstdcxx();
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                try
                {
                    var outcome = LibTorchSharpLoaderFix.Apply(path, system, out var detail);
                    switch (outcome)
                    {
                        case LoaderFixOutcome.Patched:
                            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"Sae.Core: marked {detail} weak in {path} so that it loads with {system ?? "this system's libstdc++"}.");
                            break;
                        case LoaderFixOutcome.Unfixable:
                            Log.LogWarning($"Sae.Core: {path} will not load on this system: {detail}. Install a newer libstdc++6.");
                            break;
                        default:
                            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"Sae.Core: {path}: {outcome} ({detail}).");
                            break;
                    }
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogWarning($"Sae.Core: could not check {path} for the libstdc++ loader fix: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
