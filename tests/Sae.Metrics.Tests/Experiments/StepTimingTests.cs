using Sae.Metrics.Experiments;

namespace Sae.Metrics.Tests.Experiments;

public sealed class StepTimingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sae-timing-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void An_interrupted_step_counts_every_attempt_and_is_finished_only_when_it_finishes()
    {
        var attempts = 0;
        var step = new ExperimentStep("train SAEs 2 of 3", ExperimentStage.TrainSaes, [], [], () => false, () =>
        {
            attempts++;
            if (attempts <= 2) Thread.Sleep(120); // the third run, below, takes no time
            if (attempts == 1) throw new OperationCanceledException();
        });

        var interrupted = () => StepTiming.Time(_dir, step);
        interrupted.Should().Throw<OperationCanceledException>("the exception passes on");
        var first = StepTiming.ReadAll(_dir).Should().ContainSingle().Subject;
        first.Should().BeEquivalentTo(new { Step = "train SAEs 2 of 3", Stage = ExperimentStage.TrainSaes, Finished = false });
        first.Seconds.Should().BeGreaterThanOrEqualTo(0.12);
        File.Exists(Path.Combine(_dir, StepTiming.DirectoryName, "train-saes-2-of-3.json")).Should().BeTrue();

        StepTiming.Time(_dir, step);
        var second = StepTiming.ReadAll(_dir).Should().ContainSingle().Subject;
        second.Finished.Should().BeTrue();
        second.Seconds.Should().BeGreaterThanOrEqualTo(first.Seconds + 0.12, "the finishing attempt adds to the interrupted one");

        // Once finished, a step run again (its output deleted) starts its count afresh.
        StepTiming.Time(_dir, step);
        StepTiming.ReadAll(_dir).Single().Seconds.Should().BeLessThan(second.Seconds);
    }

    [Fact]
    public void A_folder_without_timings_has_none_and_an_unreadable_record_is_skipped()
    {
        StepTiming.ReadAll(_dir).Should().BeEmpty();
        Directory.CreateDirectory(Path.Combine(_dir, StepTiming.DirectoryName));
        File.WriteAllText(Path.Combine(_dir, StepTiming.DirectoryName, "broken.json"), "{ not json");
        StepTiming.ReadAll(_dir).Should().BeEmpty();
    }
}
