namespace Sae.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread — unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context or the thread pool, so reports can
/// arrive late, out of order and concurrently.
/// </summary>
/// <typeparam name="T">What is reported.</typeparam>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
