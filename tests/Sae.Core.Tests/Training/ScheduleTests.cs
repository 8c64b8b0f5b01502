using Sae.Core.Training;

namespace Sae.Core.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void Linear_warmup_starts_at_zero_like_the_reference_lambda_lr()
    {
        var warmup = new LinearWarmup(1000);
        warmup.ValueAt(0).Should().Be(0);
        warmup.ValueAt(250).Should().Be(0.25);
        warmup.ValueAt(1000).Should().Be(1);
        warmup.ValueAt(5000).Should().Be(1);
        new LinearWarmup(0, 0.3).ValueAt(0).Should().Be(0.3);
        new LinearWarmup(10, 0.5).ValueAt(5).Should().Be(0.25);
    }

    [Fact]
    public void Warmup_then_linear_decay_reaches_zero_at_the_end()
    {
        var schedule = new WarmupDecaySchedule(WarmupSteps: 10, DecayStart: 80, TotalSteps: 100);
        schedule.ValueAt(5).Should().Be(0.5);
        schedule.ValueAt(50).Should().Be(1);
        schedule.ValueAt(90).Should().Be(0.5);
        schedule.ValueAt(100).Should().Be(0);
        new WarmupDecaySchedule(0, 100, 100).ValueAt(99).Should().Be(1, "no decay when it starts at the end");
    }

    [Fact]
    public void P_annealing_updates_at_linspace_steps_through_float32_linspace_values()
    {
        var annealing = new PAnnealing(0.1, totalSteps: 100, annealStart: 10);
        annealing.UpdateSteps.Should().Equal(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
        annealing.PValues.Should().HaveCount(10);
        annealing.PValues[0].Should().Be(1);
        annealing.PValues[^1].Should().Be((double)0.2f);
        annealing.PValues[1].Should().Be((double)(1f + (0.2f - 1f) / 9));
        annealing.PValues.Should().BeInDescendingOrder();

        new PAnnealing(1, totalSteps: 36621, annealStart: 10000).UpdateSteps
            .Should().Equal(10000, 12957, 15915, 18873, 21831, 24789, 27747, 30705, 33663, 36621);
    }

    [Fact]
    public void P_annealing_rescales_lambda_by_the_queued_ratio_and_never_reaches_the_last_p()
    {
        var annealing = new PAnnealing(0.1, totalSteps: 100, annealStart: 10);
        var usedP = new List<double>();
        for (long step = 0; step < 100; step++)
        {
            usedP.Add(annealing.P);
            annealing.ValueAt(step).Should().Be(annealing.P, "the pure schedule agrees with the stateful one");
            if (annealing.NextP is not null) annealing.Record(atP: 2, atNextP: 4);
            annealing.Advance(step);
        }
        // The first update (step 10) only moves to p₀ = 1; the next eight (20..90) halve λ.
        annealing.Penalty.Should().BeApproximately(0.1 * Math.Pow(0.5, 8), 1e-15);
        annealing.UpdatesDone.Should().Be(9);
        annealing.P.Should().Be(annealing.PValues[8]);
        usedP[10].Should().Be(1, "step 10 uses the p from before its own update");
        usedP[21].Should().Be(annealing.PValues[1]);
    }

    [Fact]
    public void P_annealing_averages_the_last_ten_records()
    {
        var annealing = new PAnnealing(0.1, totalSteps: 100, annealStart: 10);
        for (long step = 0; step <= 20; step++)
        {
            if (annealing.NextP is not null) annealing.Record(atP: step, atNextP: 1);
            annealing.Advance(step);
        }
        // Records were made at steps 11..20 (none before the first update): mean 15.5.
        annealing.Penalty.Should().BeApproximately(0.1 * 15.5, 1e-12);
    }

    [Fact]
    public void P_annealing_state_round_trips()
    {
        var a = new PAnnealing(0.1, totalSteps: 100, annealStart: 10);
        for (long step = 0; step < 35; step++)
        {
            if (a.NextP is not null) a.Record(step % 7 + 1, step % 5 + 1);
            a.Advance(step);
        }
        var b = new PAnnealing(0.1, totalSteps: 100, annealStart: 10);
        b.RestoreState(a.SaveState());
        for (long step = 35; step < 100; step++)
        {
            foreach (var x in new[] { a, b })
            {
                if (x.NextP is not null) x.Record(step % 7 + 1, step % 5 + 1);
                x.Advance(step);
            }
        }
        b.Penalty.Should().Be(a.Penalty);
        b.P.Should().Be(a.P);
    }
}
