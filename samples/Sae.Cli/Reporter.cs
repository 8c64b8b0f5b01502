namespace Sae.Cli;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling (training) thread, not through a synchronisation context.</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
