using System.Runtime.InteropServices;

namespace Sae.Core.Native;

/// <summary>
/// Keeps glibc's malloc from returning large tensors' memory to the kernel after every step. By
/// default glibc serves each allocation over 32 MB with mmap and frees it with munmap, so a training
/// loop spends about half its time having the kernel zero fresh pages (docs/reference.md §6). Setting
/// M_MMAP_MAX = 0 and a large M_TRIM_THRESHOLD keeps freed blocks in the heap for reuse. The training
/// entry points call <see cref="TuneForTraining"/> as their options ask (<see cref="Training.TrainingOptions.TuneAllocator"/>,
/// <see cref="LanguageModels.GptTrainingOptions.TuneAllocator"/>, both on by default); set the environment variable
/// <c>SAE_KEEP_MALLOC_DEFAULTS=1</c> to leave glibc's defaults alone everywhere.
/// </summary>
public static class GlibcAllocator
{
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapMax = -4;
    private static int _tuned;

    /// <summary>Whether the tuning has been applied in this process.</summary>
    public static bool IsTuned => Volatile.Read(ref _tuned) == 1;

    /// <summary>
    /// Applies the tuning once per process on Linux with glibc; a no-op elsewhere, when already applied,
    /// or when <c>SAE_KEEP_MALLOC_DEFAULTS=1</c>. Returns whether the tuning is in force.
    /// </summary>
    public static bool TuneForTraining()
    {
        if (IsTuned) return true;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("SAE_KEEP_MALLOC_DEFAULTS") == "1") return false;
        try
        {
            if (mallopt(MallocMmapMax, 0) == 1 && mallopt(MallocTrimThreshold, int.MaxValue) == 1)
            {
                Volatile.Write(ref _tuned, 1);
                return true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to tune.
        }
        return false;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
