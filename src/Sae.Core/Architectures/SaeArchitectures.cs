namespace Sae.Core.Architectures;

/// <summary>
/// The registry of SAE architectures by name: the five built in, and any a program adds with <see cref="Register"/>.
/// Saving, loading, training sweeps, the <c>sae</c> command and the experiment's report look architectures up here.
/// </summary>
public static class SaeArchitectures
{
    /// <summary>The standard (ReLU) SAE.</summary>
    public static StandardArchitecture Standard { get; } = new();

    /// <summary>The gated SAE.</summary>
    public static GatedArchitecture Gated { get; } = new();

    /// <summary>The TopK SAE.</summary>
    public static TopKArchitecture TopK { get; } = new();

    /// <summary>BatchTopK training (its SAEs save as JumpReLU SAEs).</summary>
    public static BatchTopKArchitecture BatchTopK { get; } = new();

    /// <summary>The JumpReLU SAE.</summary>
    public static JumpReluArchitecture JumpRelu { get; } = new();

    private static readonly NamedRegistry<SaeArchitecture> Registry = new("architecture", a => a.Name, [Standard, Gated, TopK, BatchTopK, JumpRelu]);

    /// <summary>Every registered architecture: the built-in ones in the order above, then others in the order registered.</summary>
    public static IReadOnlyList<SaeArchitecture> All => Registry.All;

    /// <summary>
    /// Adds <paramref name="architecture"/>, so that its SAEs train in sweeps, load from cfg.json and are reported with their
    /// family. Registering the same instance again does nothing, so a program may register where it first needs it.
    /// </summary>
    /// <exception cref="ArgumentException">Another architecture is registered under the same name.</exception>
    public static void Register(SaeArchitecture architecture) => Registry.Register(architecture);

    /// <summary>The architecture named <paramref name="name"/>, or null.</summary>
    public static SaeArchitecture? Find(string? name) => Registry.Find(name);

    /// <summary>The architecture named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No architecture has that name; the message lists those that do.</exception>
    public static SaeArchitecture Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Training is implemented for {string.Join(", ", All.Select(a => a.Name))} SAEs, not '{name}'.", nameof(name));

    /// <summary>The names of the architectures that satisfy <paramref name="which"/>, for messages: <c>standard and gated</c>.</summary>
    public static string Names(Func<SaeArchitecture, bool> which) => Registry.Names("and", which);
}
