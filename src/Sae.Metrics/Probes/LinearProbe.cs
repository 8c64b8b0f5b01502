using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;
using Sae.Core.Training;

namespace Sae.Metrics.Probes;

/// <summary>
/// The supervised upper baseline: logistic regression per label element on the model's activations,
/// p(g_s = 1 | x) = σ(x · W[:, s] + b[s]), trained on the train split. It predicts an element iff its
/// logit is above 0 (p &gt; 0.5). One variant, <c>linear</c>.
/// </summary>
public sealed class LinearProbe : IBoardStateProbe, IDisposable
{
    private LinearProbe(Tensor weight, Tensor bias)
    {
        Weight = weight;
        Bias = bias;
    }

    /// <summary>W, float32 [d, elements].</summary>
    public Tensor Weight { get; }

    /// <summary>b, float32 [elements].</summary>
    public Tensor Bias { get; }

    /// <inheritdoc />
    public int InputDimension => (int)Weight.shape[0];

    /// <inheritdoc />
    public int Elements => (int)Weight.shape[1];

    /// <inheritdoc />
    public IReadOnlyList<ProbeVariant> Variants { get; } = [new ProbeVariant("linear", Selectable: true)];

    /// <summary>
    /// Trains a probe of labels <paramref name="labels_NS"/> [N, S] (uint8 or bool, 0/1) from activations
    /// <paramref name="acts_ND"/> [N, d] (float32), on the activations' device.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, types or values that do not fit (the message names the input).</exception>
    public static LinearProbe Train(Tensor acts_ND, Tensor labels_NS, LinearProbeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LinearProbeOptions();
        Supervised.SupervisedInputs.CheckActivations(acts_ND, nameof(acts_ND));
        Supervised.SupervisedInputs.CheckLabels(labels_NS, acts_ND.shape[0], nameof(labels_NS));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BatchSize);
        var device = acts_ND.device;
        var n = acts_ND.shape[0];
        var d = acts_ND.shape[1];
        var s = labels_NS.shape[1];
        using var generator = new Generator(options.Seed, device);
        var bound = 1 / Math.Sqrt(d);
        using var width = (2 * bound).ToScalar();
        using var offset = bound.ToScalar();
        using var weight = new Parameter(rand([d, s], generator: generator, device: device).mul_(width).sub_(offset));
        using var bias = new Parameter(zeros(s, device: device));
        using var optimizer = optim.Adam([weight, bias], options.LearningRate, weight_decay: options.WeightDecay);
        using var floatLabels = labels_NS.to(float32);
        using var targets = floatLabels.to(device);
        var batch = options.BatchSize == 0 ? n : Math.Min(options.BatchSize, n);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            using var order = batch == n ? null : randperm(n, generator: generator, device: device);
            for (long start = 0; start < n; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var length = Math.Min(batch, n - start);
                var x = order is null ? acts_ND.narrow(0, start, length) : acts_ND.index_select(0, order.narrow(0, start, length));
                var y = order is null ? targets.narrow(0, start, length) : targets.index_select(0, order.narrow(0, start, length));
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(x.matmul(weight).add(bias, Scalars.One), y);
                loss.backward();
                AdamStep.Apply(optimizer);
            }
        }
        using var noGrad = no_grad();
        return new LinearProbe(weight.detach().clone(), bias.detach().clone());
    }

    /// <summary>The logits x · W + b [n, elements] of activations <paramref name="acts_nD"/> [n, d].</summary>
    public Tensor Logits(Tensor acts_nD)
    {
        if (acts_nD.dim() != 2 || acts_nD.shape[1] != InputDimension)
            throw new ArgumentException($"The probe reads activations [n, {InputDimension}]; got [{string.Join(", ", acts_nD.shape)}].", nameof(acts_nD));
        using var scope = NewDisposeScope(); // keeps the converted copies referenced through the native calls that read them
        return acts_nD.to(float32).to(Weight.device).matmul(Weight).add_(Bias, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Predict(Tensor acts_nD)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Logits(acts_nD).gt(Scalars.Zero).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
    }
}
