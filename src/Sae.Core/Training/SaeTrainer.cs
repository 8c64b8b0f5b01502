using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// Trains one SAE by one recipe: the loss, the constrained Adam update, the learning-rate schedule and
/// (optionally) p-annealing of the sparsity penalty. Several trainers can share one activation stream. A trainer owns
/// its SAE: disposing the trainer disposes the SAE too (disposing the SAE again is harmless), so an SAE meant to outlive
/// its training is saved, or copied, first.
/// </summary>
public abstract class SaeTrainer : IDisposable
{
    private StepBuffers? _ownBuffers;
    private readonly ScalarType _productType = ScalarType.Float32;

    /// <summary>Creates the trainer.</summary>
    protected SaeTrainer(SparseAutoencoder sae, double penalty, double learningRate, IAnnealingSchedule learningRateFactor,
        PAnnealing? pAnnealing, double beta1, IAnnealingSchedule? penaltyFactor)
    {
        PenaltyFactor = penaltyFactor;
        Sae = sae;
        InitialPenalty = penalty;
        LearningRate = learningRate;
        LearningRateFactor = learningRateFactor;
        PAnnealing = pAnnealing;
        Optimizer = new ConstrainedAdam(sae.Parameters.Values, [sae.W_dec], beta1);
    }

    /// <summary>The SAE being trained, owned by this trainer.</summary>
    public SparseAutoencoder Sae { get; }

    /// <summary>λ as configured (p-annealing may adapt it; see <see cref="Penalty"/>).</summary>
    public double InitialPenalty { get; }

    /// <summary>The λ in force now, before any warm-up factor (p-annealing adapts it).</summary>
    public double Penalty => PAnnealing?.Penalty ?? InitialPenalty;

    /// <summary>A factor on λ by step (a sparsity-coefficient warm-up), or null for none, as in the reference recipes.</summary>
    public IAnnealingSchedule? PenaltyFactor { get; }

    /// <summary>The base learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>The factor applied to the learning rate at each step.</summary>
    public IAnnealingSchedule LearningRateFactor { get; }

    /// <summary>p-annealing of the sparsity term, or null for a fixed L1 penalty.</summary>
    public PAnnealing? PAnnealing { get; }

    /// <summary>The optimiser, with its state for checkpoints.</summary>
    public ConstrainedAdam Optimizer { get; }

    /// <summary>
    /// The element type of the step's large matrix products (see <see cref="ProductPrecision"/>): float32 (the default),
    /// or bfloat16 for mixed precision. The hand-derived steps (standard, gated, JumpReLU) follow it, and TopK's
    /// encoder product (its sparse decoder gathers rows); the autograd paths (BatchTopK, and TopK's steps that add the
    /// AuxK term) compute in float32.
    /// </summary>
    /// <exception cref="ArgumentException">A type other than float32 or bfloat16.</exception>
    public ScalarType ProductType
    {
        get => _productType;
        init => _productType = value is ScalarType.Float32 or ScalarType.BFloat16 ? value
            : throw new ArgumentException($"Matrix products run in float32 or bfloat16, not {value}.", nameof(ProductType));
    }

    /// <summary>Gives every parameter of <paramref name="sae"/> a zero gradient that the parameter keeps (the trainers that write their gradients in place).</summary>
    private protected static void AttachZeroGradients(SparseAutoencoder sae)
    {
        foreach (var parameter in sae.Parameters.Values)
        {
            // Held until the setter's native call has returned (a temporary could be finalised during it); the
            // parameter keeps its own reference to the gradient.
            using var gradient = zeros_like(parameter);
            parameter.grad = gradient;
        }
    }

    /// <summary>Takes one training step on the batch <paramref name="x"/> [B, d].</summary>
    /// <exception cref="ArgumentException">x is not [B, d] floating point.</exception>
    /// <exception cref="NonFiniteTrainingException">The loss on <paramref name="x"/> is not finite; the weights are left as they were.</exception>
    public TrainingStepMetrics Step(Tensor x, long step)
    {
        if (x.dim() != 2) throw new ArgumentException($"A training batch must be [batch, {Sae.InputDimension}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        var p = PAnnealing?.P ?? 1.0;
        var penalty = Penalty * (PenaltyFactor?.ValueAt(step) ?? 1.0);
        var result = ComputeGradients(x, p, penalty, PAnnealing?.NextP);
        if (!double.IsFinite(result.Loss)) throw new NonFiniteTrainingException($"the {Sae.Architecture} SAE's trainer", step, "loss", result.Loss);
        var learningRate = LearningRate * LearningRateFactor.ValueAt(step);
        Optimizer.Step(learningRate);
        AfterUpdate(x, step);
        if (PAnnealing is { } annealing)
        {
            if (result.SparsityAtNextP is { } atNextP) annealing.Record(result.Sparsity, atNextP);
            annealing.Advance(step);
        }
        return new TrainingStepMetrics(step, result.Loss, result.Reconstruction, result.Sparsity, result.L0, p, penalty, learningRate);
    }

    /// <summary>
    /// Sets every parameter's gradient of the recipe's loss on batch <paramref name="x"/> at exponent
    /// <paramref name="p"/> and penalty <paramref name="penalty"/>, and measures the batch; computes the
    /// sparsity term at <paramref name="nextP"/> too when it is given.
    /// </summary>
    protected internal abstract GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP);

    /// <summary>Work after the optimiser's update of <paramref name="step"/> on batch <paramref name="x"/> (e.g. resampling dead features).</summary>
    protected virtual void AfterUpdate(Tensor x, long step)
    {
    }

    /// <summary>
    /// Tensors besides the parameters and the optimiser's moments that a checkpoint must keep for an
    /// exact resume (e.g. TopK's count of tokens since each feature fired), by name. Restoring copies
    /// into them in place.
    /// </summary>
    protected internal virtual IReadOnlyDictionary<string, Tensor> ExtraState => new Dictionary<string, Tensor>();

    /// <summary>Work tensors shared with other trainers while <see cref="SaeTraining.Run"/> steps them one after another; null outside a run.</summary>
    internal StepBuffers? SharedBuffers { get; set; }

    /// <summary>
    /// Distinct work tensors of <paramref name="batch"/> rows and, in order, <paramref name="columns"/> columns, kept
    /// between steps (shared within a sweep): their contents are undefined until written, and do not survive to the next step.
    /// </summary>
    private protected Tensor[] WorkBuffers(long batch, params ReadOnlySpan<long> columns) => Buffers.For(batch, columns);

    private StepBuffers Buffers => SharedBuffers ?? (_ownBuffers ??= new StepBuffers(Sae.Device));

    /// <summary>The bfloat16 copies of product operands this trainer's steps use (shared within a sweep).</summary>
    internal ProductOperands ProductOperands => Buffers.Operands;

    /// <summary>
    /// Keeps each product operand's bfloat16 copy until the returned scope is disposed, so that a step casts no operand
    /// twice (see <see cref="ProductOperands"/>: an operand must not change in place after its first product, unless
    /// as a product's output). A step's gradient computation opens one around its products.
    /// </summary>
    private protected ProductStep KeepProductOperands()
    {
        Buffers.Operands.BeginStep();
        return new ProductStep(Buffers.Operands);
    }

    /// <summary>The span of one step's kept product operands; disposing it ends the step.</summary>
    private protected readonly struct ProductStep(ProductOperands operands) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => operands.EndStep();
    }

    /// <summary>
    /// <paramref name="output"/> ← a·b, or output + a·b when <paramref name="accumulate"/>, with a or b transposed
    /// when asked: the product in <see cref="ProductType"/> (each operand cast once per step within
    /// <see cref="KeepProductOperands"/>), the result in <paramref name="output"/>'s float32. Returns <paramref name="output"/>.
    /// </summary>
    private protected Tensor AddProduct(Tensor output, Tensor a, Tensor b, bool accumulate, bool transposeA = false, bool transposeB = false)
    {
        if (_productType == ScalarType.Float32)
            return output.addmm_(transposeA ? a.t() : a, transposeB ? b.t() : b, beta: accumulate ? 1 : 0, alpha: 1);
        using var scope = NewDisposeScope();
        var operands = Buffers.Operands;
        operands.Changed(output);
        var left = operands.Of(a, _productType);
        var right = operands.Of(b, _productType);
        var product = (transposeA ? left.t() : left).mm(transposeB ? right.t() : right);
        return accumulate ? output.add_(product, Scalars.One) : output.copy_(product);
    }

    /// <summary>
    /// <paramref name="output"/> ← λ/B · ∂(Σ_i a_i^p)/∂a = λ p a^(p−1) / B where <paramref name="active"/>, 0 elsewhere
    /// (λ/B everywhere for p = 1, where the caller masks it later): the sparsity term's gradient of a batch of B rows.
    /// </summary>
    private protected static void SparsityGradient(Tensor output, Tensor activations, Tensor active, double penalty, double p, long batch)
    {
        if (p == 1.0)
        {
            using var slope = (penalty / batch).ToScalar();
            output.fill_(slope);
            return;
        }
        using var exponent = (p - 1).ToScalar();
        using var factor = (penalty * p / batch).ToScalar();
        output.copy_(activations).pow_(exponent).masked_fill_(active.logical_not(), Scalars.Zero).mul_(factor);
    }

    /// <summary>Σ_i a_i^p per row, batch mean (for p = 1 the L1 norm of non-negative activations).</summary>
    protected static Tensor SparsityTerm(Tensor activations, double p)
    {
        using var scope = NewDisposeScope(); // holds the intermediate sums through the native calls that read them
        if (p == 1.0) return activations.sum(1).mean().MoveToOuterDisposeScope();
        using var exponent = p.ToScalar();
        return activations.pow(exponent).sum(1).mean().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the optimiser's state, the SAE and, in subclasses, their buffers.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        Optimizer.Dispose();
        _ownBuffers?.Dispose();
        Sae.Dispose();
    }
}
