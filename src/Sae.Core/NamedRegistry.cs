namespace Sae.Core;

/// <summary>
/// Things of one kind looked up by name — SAE architectures, games — with the built-in ones first and any a program
/// adds later. Readers never lock: registration replaces the whole list, so a reader never sees it being changed.
/// </summary>
/// <typeparam name="T">What is registered.</typeparam>
/// <param name="kind">What a <typeparamref name="T"/> is called in messages, e.g. "architecture".</param>
/// <param name="nameOf">The name a <typeparamref name="T"/> is found by.</param>
/// <param name="builtIn">The built-in ones, in their order.</param>
public sealed class NamedRegistry<T>(string kind, Func<T, string> nameOf, IEnumerable<T> builtIn) where T : class
{
    private readonly Lock _gate = new();
    private T[] _all = [.. builtIn];

    /// <summary>Every registered one: the built-in ones in their order, then others in the order registered.</summary>
    public IReadOnlyList<T> All => Volatile.Read(ref _all);

    /// <summary>
    /// Adds <paramref name="item"/>. Registering the same instance again does nothing, so a program may register where it
    /// first needs it.
    /// </summary>
    /// <exception cref="ArgumentException">Another one is registered under the same name.</exception>
    public void Register(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            var existing = Find(nameOf(item));
            if (ReferenceEquals(existing, item)) return;
            if (existing is not null)
                throw new ArgumentException($"A{(kind.Length > 0 && "aeiou".Contains(kind[0]) ? "n" : "")} {kind} named '{nameOf(item)}' is already registered ({existing.GetType().Name}).", nameof(item));
            Volatile.Write(ref _all, [.. _all, item]);
        }
    }

    /// <summary>
    /// The names of the registered ones that satisfy <paramref name="which"/> (all, when null), for messages:
    /// <c>a, b and c</c> with <paramref name="conjunction"/> "and".
    /// </summary>
    public string Names(string conjunction, Func<T, bool>? which = null)
    {
        var names = All.Where(which ?? (_ => true)).Select(nameOf).ToList();
        return names.Count < 2 ? string.Join("", names) : $"{string.Join(", ", names[..^1])} {conjunction} {names[^1]}";
    }

    /// <summary>The one named <paramref name="name"/>, or null.</summary>
    public T? Find(string? name) => All.FirstOrDefault(x => nameOf(x) == name);
}
