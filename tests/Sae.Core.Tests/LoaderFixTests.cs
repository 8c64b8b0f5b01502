using Sae.Build;

namespace Sae.Core.Tests;

public sealed class LoaderFixTests : IDisposable
{
    private const string Placeholder = "GLIBCXX_3.4.32";
    private static readonly string AsShipped = Path.Combine(AppContext.BaseDirectory, "fixtures", "libLibTorchSharp.as-shipped.so");
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-loaderfix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string CopyOfShippedLibrary()
    {
        var path = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(AsShipped, path);
        return path;
    }

    private static ElfVersionRequirement Requirement(string path, string version) =>
        ElfVersions.Parse(File.ReadAllBytes(path)).Requirements().Single(r => r.Version == version);

    /// <summary>The versions of Debian 12's libstdc++ (GCC 12): everything up to GLIBCXX_3.4.30.</summary>
    private static HashSet<string> Gcc12Versions() =>
        [.. Enumerable.Range(0, 31).Select(i => i == 0 ? "GLIBCXX_3.4" : $"GLIBCXX_3.4.{i}"),
         .. Enumerable.Range(0, 14).Select(i => i == 0 ? "CXXABI_1.3" : $"CXXABI_1.3.{i}")];

    [Fact]
    public void The_shipped_library_needs_the_placeholder_version_for_one_placeholder_symbol_only()
    {
        var elf = ElfVersions.Parse(File.ReadAllBytes(AsShipped));
        var requirement = elf.Requirements().Single(r => r.Version == Placeholder);
        requirement.Library.Should().Be("libstdc++.so.6");
        requirement.IsWeak.Should().BeFalse();
        elf.SymbolsOfVersion(requirement.Index).Should().Equal("_ZSt21ios_base_library_initv");
    }

    [Fact]
    public void Patching_for_an_older_libstdcxx_sets_exactly_one_weak_flag()
    {
        var path = CopyOfShippedLibrary();
        var before = File.ReadAllBytes(path);

        LibTorchSharpLoaderFix.Apply(path, Gcc12Versions(), out var detail).Should().Be(LoaderFixOutcome.Patched);

        detail.Should().Be(Placeholder);
        var after = File.ReadAllBytes(path);
        after.Length.Should().Be(before.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var requirement = Requirement(path, Placeholder);
        changed.Should().Equal(requirement.FlagsOffset);
        requirement.IsWeak.Should().BeTrue();
        ElfVersions.Parse(after).Requirements().Where(r => r.Version != Placeholder).Should().OnlyContain(r => !r.IsWeak);
    }

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time()
    {
        var path = CopyOfShippedLibrary();
        LibTorchSharpLoaderFix.Apply(path, Gcc12Versions(), out _);
        var once = File.ReadAllBytes(path);
        var writeTime = File.GetLastWriteTimeUtc(path);

        LibTorchSharpLoaderFix.Apply(path, Gcc12Versions(), out _).Should().Be(LoaderFixOutcome.AlreadyPatched);

        File.ReadAllBytes(path).Should().Equal(once);
        File.GetLastWriteTimeUtc(path).Should().Be(writeTime);
    }

    [Fact]
    public void A_new_enough_libstdcxx_leaves_the_file_alone()
    {
        var path = CopyOfShippedLibrary();
        var versions = Gcc12Versions();
        versions.UnionWith(["GLIBCXX_3.4.31", Placeholder]);

        LibTorchSharpLoaderFix.Apply(path, versions, out _).Should().Be(LoaderFixOutcome.NotNeeded);

        File.ReadAllBytes(path).Should().Equal(File.ReadAllBytes(AsShipped));
    }

    [Fact]
    public void A_missing_version_with_real_symbols_is_not_weakened()
    {
        var path = CopyOfShippedLibrary();
        var versions = Gcc12Versions();
        versions.Remove("GLIBCXX_3.4.21");

        LibTorchSharpLoaderFix.Apply(path, versions, out var detail).Should().Be(LoaderFixOutcome.Unfixable);

        detail.Should().Contain("GLIBCXX_3.4.21");
        File.ReadAllBytes(path).Should().Equal(File.ReadAllBytes(AsShipped));
    }

    [Fact]
    public void A_patched_copy_does_not_write_through_a_hard_link()
    {
        var original = CopyOfShippedLibrary();
        var link = Path.Combine(_dir, "linked.so");
        LinkNative(original, link).Should().Be(0, "a temporary directory on Linux supports hard links");

        LibTorchSharpLoaderFix.Apply(link, Gcc12Versions(), out _).Should().Be(LoaderFixOutcome.Patched);

        File.ReadAllBytes(original).Should().Equal(File.ReadAllBytes(AsShipped));
    }

    [Fact]
    public void The_system_libstdcxx_is_read_for_its_defined_versions()
    {
        var system = LibTorchSharpLoaderFix.FindSystemLibstdcxx();
        system.Should().NotBeNull("a Linux test machine has libstdc++.so.6");
        ElfVersions.Parse(File.ReadAllBytes(system!)).DefinedVersions().Should().Contain(["GLIBCXX_3.4", "GLIBCXX_3.4.21", "CXXABI_1.3"]);
    }

    [Fact]
    public void A_file_that_is_not_elf_is_rejected_by_name()
    {
        var act = () => ElfVersions.Parse("not an ELF file at all, just some text padding it out to 64 bytes."u8.ToArray());
        act.Should().Throw<InvalidDataException>().WithMessage("*ELF64*");
    }

    [Fact]
    public void A_truncated_library_is_rejected_as_truncated()
    {
        var head = File.ReadAllBytes(AsShipped).AsSpan(0, 4096).ToArray();
        var act = () => ElfVersions.Parse(head).Requirements();
        act.Should().Throw<InvalidDataException>().WithMessage("*truncated*");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkNative(string existing, string created);
}
