namespace Sae.Games;

/// <summary>
/// A small, fast random stream (SplitMix64) for game generation. Each game derives its own stream
/// from (seed, game index), so a data set is the same whatever the number of threads that made it.
/// </summary>
internal struct GameRandom
{
    private ulong _state;

    /// <summary>The stream for game <paramref name="gameIndex"/> of a data set made with <paramref name="seed"/>.</summary>
    public GameRandom(ulong seed, ulong gameIndex)
    {
        _state = Mix(seed ^ Mix(gameIndex + 0x632BE59BD9B4E019UL));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="n"/>) without modulo bias (Lemire's method).</summary>
    public int Below(int n)
    {
        var bound = (uint)n;
        var product = (ulong)(uint)NextUInt64() * bound;
        if ((uint)product < bound)
        {
            var threshold = (0u - bound) % bound;
            while ((uint)product < threshold)
                product = (ulong)(uint)NextUInt64() * bound;
        }
        return (int)(product >> 32);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
