using System.Text.Json.Serialization;

namespace Sae.Core.Training;

/// <summary>
/// p-annealing of the sparsity penalty λ·Σ_i f_i^p (docs/reference.md §3, dictionary_learning's
/// <c>PAnnealTrainer</c> with <c>Lp^p</c>), step for step:
/// <list type="bullet">
/// <item>p takes the values linspace(p_start, p_end, n) (float32, as torch.linspace) at the update
/// steps linspace(anneal_start, anneal_end, n) truncated to integers; before the first, p = p_start.</item>
/// <item>From the first update on, every step records (Lp^p at p, Lp^p at the next p) of its batch;
/// the last <see cref="QueueLength"/> records are kept.</item>
/// <item>At each later update λ ← λ · mean(at p) / mean(at next p), so the penalty's size does not jump
/// when p changes; then p moves on.</item>
/// <item>A step's own loss uses the p and λ from before that step's update.</item>
/// </list>
/// Quirk kept for comparability: the last update step equals anneal_end, which defaults to the total
/// number of steps and is therefore never reached, so p ends at the second-to-last value
/// (0.289 for 1 → 0.2 over 10 updates). The λ reached is what a trained SAE's cfg reports.
/// </summary>
public sealed class PAnnealing : IAnnealingSchedule
{
    private readonly Queue<(double AtP, double AtNextP)> _queue = new();

    /// <summary>Creates the schedule; <paramref name="annealEnd"/> defaults to <paramref name="totalSteps"/>.</summary>
    public PAnnealing(double initialPenalty, long totalSteps, long annealStart = 10_000, long? annealEnd = null,
        double pStart = 1.0, double pEnd = 0.2, int updates = 10, int queueLength = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updates, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLength, 1);
        var end = annealEnd ?? totalSteps;
        if (end < annealStart) throw new ArgumentException($"anneal_end ({end}) is before anneal_start ({annealStart}).");
        InitialPenalty = initialPenalty;
        Penalty = initialPenalty;
        AnnealStart = annealStart;
        AnnealEnd = end;
        PStart = pStart;
        PEnd = pEnd;
        QueueLength = queueLength;
        PValues = LinspaceFloat32(pStart, pEnd, updates);
        UpdateSteps = [.. Enumerable.Range(0, updates).Select(i => (long)(annealStart + (double)(end - annealStart) * i / (updates - 1)))];
        P = pStart;
    }

    /// <summary>λ at the start.</summary>
    public double InitialPenalty { get; }

    /// <summary>The first update step.</summary>
    public long AnnealStart { get; }

    /// <summary>The last update step.</summary>
    public long AnnealEnd { get; }

    /// <summary>The first p.</summary>
    public double PStart { get; }

    /// <summary>The last p of the schedule.</summary>
    public double PEnd { get; }

    /// <summary>How many (at p, at next p) records the λ update averages.</summary>
    public int QueueLength { get; }

    /// <summary>The values p takes, in order.</summary>
    public IReadOnlyList<double> PValues { get; }

    /// <summary>The steps at which p moves on (and λ is rescaled).</summary>
    public IReadOnlyList<long> UpdateSteps { get; }

    /// <summary>The current exponent.</summary>
    public double P { get; private set; }

    /// <summary>The exponent of the next update, or null before the first update.</summary>
    public double? NextP { get; private set; }

    /// <summary>The current penalty λ.</summary>
    public double Penalty { get; private set; }

    /// <summary>How many updates have happened.</summary>
    public int UpdatesDone { get; private set; }

    /// <summary>The exponent in force at <paramref name="step"/> (p before that step's own update).</summary>
    public double ValueAt(long step)
    {
        var done = UpdateSteps.Count(u => u < step);
        return done == 0 ? PStart : PValues[done - 1];
    }

    /// <summary>Records a batch's Lp^p at <see cref="P"/> and at <see cref="NextP"/>; call only when <see cref="NextP"/> is set.</summary>
    public void Record(double atP, double atNextP)
    {
        if (NextP is null) throw new InvalidOperationException("Nothing to record before the first update step.");
        _queue.Enqueue((atP, atNextP));
        while (_queue.Count > QueueLength) _queue.Dequeue();
    }

    /// <summary>Applies the update of <paramref name="step"/>, if it is an update step; call after the step's loss is computed.</summary>
    public void Advance(long step)
    {
        if (UpdatesDone >= UpdateSteps.Count || step < UpdateSteps[UpdatesDone] || !UpdateSteps.Contains(step)) return;
        if (NextP is not null && _queue.Count > 0)
            Penalty *= _queue.Average(r => r.AtP) / _queue.Average(r => r.AtNextP);
        P = PValues[UpdatesDone];
        NextP = UpdatesDone < PValues.Count - 1 ? PValues[UpdatesDone + 1] : PEnd;
        UpdatesDone++;
    }

    /// <summary>The mutable state, for checkpoints.</summary>
    public PAnnealingState SaveState() => new(P, NextP, Penalty, UpdatesDone, [.. _queue.Select(r => new[] { r.AtP, r.AtNextP })]);

    /// <summary>Restores a state from <see cref="SaveState"/>.</summary>
    public void RestoreState(PAnnealingState state)
    {
        P = state.P;
        NextP = state.NextP;
        Penalty = state.Penalty;
        UpdatesDone = state.UpdatesDone;
        _queue.Clear();
        foreach (var r in state.Queue) _queue.Enqueue((r[0], r[1]));
    }

    private static double[] LinspaceFloat32(double start, double end, int n)
    {
        // As torch.linspace computes in float32: the first half counts up from start, the second down from end.
        var s = (float)start;
        var e = (float)end;
        var step = (e - s) / (n - 1);
        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = i < n / 2 ? s + step * i : e - step * (n - 1 - i);
        return values;
    }
}

/// <summary>The mutable state of a <see cref="PAnnealing"/>, as saved in a checkpoint.</summary>
/// <param name="P">The current exponent.</param>
/// <param name="NextP">The next exponent, or null before the first update.</param>
/// <param name="Penalty">The current λ.</param>
/// <param name="UpdatesDone">Updates applied so far.</param>
/// <param name="Queue">The recorded (at p, at next p) pairs, oldest first.</param>
public sealed record PAnnealingState(
    [property: JsonPropertyName("p")] double P,
    [property: JsonPropertyName("next_p")] double? NextP,
    [property: JsonPropertyName("penalty")] double Penalty,
    [property: JsonPropertyName("updates_done")] int UpdatesDone,
    [property: JsonPropertyName("queue")] double[][] Queue);
