using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// The inputs, targets and (when the data carries them) target distributions of a training step, in tensors made
/// once and refilled every step.
/// </summary>
/// <remarks>
/// A tensor made from a fresh managed array each step leaves that array to the garbage collector; the target
/// distributions of an Othello batch are about 0.9 MB, on the large-object heap, and with the data set's own
/// gigabytes alive the collector let them pile up by gigabytes over an hour of training (docs/benchmarks.md,
/// "The language model's memory during training"). Filling the same native buffers allocates nothing per step.
/// </remarks>
internal sealed class SequenceBatchBuffers : IDisposable
{
    private readonly Tensor _inputs, _targets;
    private readonly Tensor? _distributions;
    private readonly Tensor? _inputsOnDevice, _targetsOnDevice, _distributionsOnDevice;
    private readonly int _vocabularySize;

    /// <summary>Buffers for batches of <paramref name="batchSize"/> sequences of <paramref name="data"/>, their copies on <paramref name="device"/>.</summary>
    public SequenceBatchBuffers(TokenSequences data, int batchSize, int vocabularySize, Device device)
    {
        _vocabularySize = vocabularySize;
        var width = data.Length - 1;
        using var scope = NewDisposeScope();
        _inputs = empty(batchSize, width, int64).DetachFromDisposeScope();
        _targets = empty(batchSize, width, int64).DetachFromDisposeScope();
        if (data.HasTargetChoices) _distributions = empty(batchSize, width, vocabularySize, float32).DetachFromDisposeScope();
        if (device.type == TorchSharp.DeviceType.CPU) return;
        _inputsOnDevice = empty(batchSize, width, int64, device).DetachFromDisposeScope();
        _targetsOnDevice = empty(batchSize, width, int64, device).DetachFromDisposeScope();
        if (data.HasTargetChoices) _distributionsOnDevice = empty(batchSize, width, vocabularySize, float32, device).DetachFromDisposeScope();
    }

    /// <summary>
    /// The batch of sequences <paramref name="indices"/> of <paramref name="data"/>: inputs, targets (as
    /// <see cref="TokenSequences.Batch"/>) and target distributions (as <see cref="TokenSequences.TargetDistributions"/>; null when the
    /// data carries none). The tensors are overwritten by the next call.
    /// </summary>
    public (Tensor Inputs, Tensor Targets, Tensor? Distributions) Fill(TokenSequences data, ReadOnlySpan<int> indices)
    {
        data.WriteBatch(indices, MemoryMarshal.Cast<byte, long>(_inputs.bytes), MemoryMarshal.Cast<byte, long>(_targets.bytes));
        if (_distributions is not null) data.WriteTargetDistributions(indices, _vocabularySize, MemoryMarshal.Cast<byte, float>(_distributions.bytes));
        if (_inputsOnDevice is null) return (_inputs, _targets, _distributions);
        return (_inputsOnDevice.copy_(_inputs), _targetsOnDevice!.copy_(_targets), _distributionsOnDevice?.copy_(_distributions!));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in new[] { _inputs, _targets, _distributions, _inputsOnDevice, _targetsOnDevice, _distributionsOnDevice }) t?.Dispose();
    }
}
