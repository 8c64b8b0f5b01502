using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Core.Autoencoders;

/// <summary>
/// What every architecture shares: the parameters registered under SAELens names, the input checks,
/// and the decoder-row normalisation that the constrained recipes apply after every step.
/// </summary>
public abstract class SparseAutoencoder : nn.Module<Tensor, Tensor>, ISparseAutoencoder
{
    private readonly Dictionary<string, Parameter> _named = [];

    /// <summary>Creates the module; subclasses add their parameters with <see cref="AddParameter"/>.</summary>
    protected SparseAutoencoder(string architecture, int inputDimension, int featureCount) : base(architecture + "_sae")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        Architecture = architecture;
        InputDimension = inputDimension;
        FeatureCount = featureCount;
    }

    /// <inheritdoc />
    public string Architecture { get; }

    /// <inheritdoc />
    public int InputDimension { get; }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public Device Device => _named["W_dec"].device;

    /// <inheritdoc />
    public ScalarType DType => _named["W_dec"].dtype;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Parameter> Parameters => _named;

    /// <summary>W_enc [d, F].</summary>
    public Parameter W_enc => Get("W_enc");

    /// <summary>W_dec [F, d]: row i is feature i's direction in activation space.</summary>
    public Parameter W_dec => Get("W_dec");

    /// <summary>b_dec [d]: subtracted from the input before encoding and added to the reconstruction.</summary>
    public Parameter b_dec => Get("b_dec");

    /// <summary>The shape each parameter must have, by name (what a loaded file is checked against).</summary>
    public IReadOnlyDictionary<string, long[]> ExpectedShapes =>
        _named.ToDictionary(p => p.Key, p => p.Value.shape);

    /// <inheritdoc />
    public abstract Tensor Encode(Tensor x);

    /// <inheritdoc />
    public virtual Tensor Decode(Tensor f)
    {
        CheckLastDimension(f, FeatureCount, "feature activations f");
        return f.matmul(W_dec).add_(b_dec, Scalars.One);
    }

    /// <inheritdoc />
    public Tensor Reconstruct(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Decode(Encode(x)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Reconstruct(x);

    /// <summary>Moves the parameters to <paramref name="device"/> under the same names (the <see cref="Parameter"/> objects are replaced: take <see cref="Parameters"/> again after a move).</summary>
    public void MoveTo(Device device) => Convert(p => p.device_type == device.type && p.device_index == device.index ? null : p.to(device));

    /// <summary>Moves and converts the parameters, as <c>sae.to(device, dtype)</c> asks of any module (see <see cref="MoveTo"/>).</summary>
    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking)
    {
        Convert(p => p.device_type == device.type && p.device_index == device.index && p.dtype == dtype ? null : p.to(dtype, device, non_blocking: non_blocking));
        return this;
    }

    /// <summary>Moves the parameters, as <c>sae.to(deviceType, index)</c> asks of any module (see <see cref="MoveTo"/>).</summary>
    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
    {
        MoveTo(new Device(deviceType, deviceIndex));
        return this;
    }

    /// <summary>Converts the parameters, as <c>sae.to(dtype)</c> asks of any module (see <see cref="MoveTo"/>).</summary>
    protected override nn.Module _to(ScalarType dtype, bool non_blocking)
    {
        Convert(p => p.dtype == dtype ? null : p.to(dtype, non_blocking: non_blocking));
        return this;
    }

    /// <summary>
    /// Replaces each parameter with <paramref name="convert"/>'s copy of it, under the same name; null leaves it as it is.
    /// Module's own <c>_to</c> would look for settable members named after the parameters; these are read-only views of
    /// the named parameters, so the move is done here, for <see cref="MoveTo"/> and <c>to(...)</c> alike.
    /// </summary>
    private void Convert(Func<Parameter, Tensor?> convert)
    {
        using var noGrad = no_grad();
        foreach (var name in _named.Keys.ToList())
        {
            var old = _named[name];
            if (convert(old) is not { } converted) continue;
            var moved = new Parameter(converted.DetachFromDisposeScope(), requires_grad: old.requires_grad);
            moved.DetachFromDisposeScope();
            ConditionallyRegisterParameter(name, moved);
            _named[name] = moved;
            old.Dispose();
        }
    }

    /// <summary>
    /// Saves the SAE in <paramref name="directory"/> as <see cref="SaeFiles.Save"/> does (<c>sae_weights.safetensors</c> and
    /// <c>cfg.json</c>, with <paramref name="training"/> and the input scale folded in).
    /// </summary>
    public void Save(string directory, System.Text.Json.Nodes.JsonObject? training = null, double inputScale = 1.0) =>
        SaeFiles.Save(this, directory, training, inputScale);

    /// <summary>
    /// The SAE saved in <paramref name="directory"/>, of whichever registered architecture its cfg.json names, on
    /// <paramref name="device"/> (the CPU by default): <see cref="SaeFiles.Load"/>.
    /// </summary>
    /// <exception cref="InvalidSaeFileException">A file is missing, truncated, foreign, or inconsistent with cfg.json, or the architecture is not registered.</exception>
    public static SparseAutoencoder Load(string directory, Device? device = null) => SaeFiles.Load(directory, device);

    /// <summary>Scales every row of <c>W_dec</c> to unit L2 norm, in place (the constrained recipes' projection).</summary>
    public void NormalizeDecoderRows()
    {
        using var noGrad = no_grad();
        using var norms = W_dec.norm(1, keepdim: true, p: 2);
        W_dec.div_(norms);
    }

    /// <summary>Copies <paramref name="values"/> into the parameters, by name and shape.</summary>
    /// <exception cref="ArgumentException">A parameter is missing or has another shape; the message names it.</exception>
    public void LoadParameters(IReadOnlyDictionary<string, Tensor> values)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _named)
        {
            if (!values.TryGetValue(name, out var value))
                throw new ArgumentException($"The {Architecture} SAE needs a tensor '{name}' of shape [{string.Join(", ", parameter.shape)}]; it is missing.");
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", value.shape)}]; a {Architecture} SAE with d_in {InputDimension} and d_sae {FeatureCount} needs [{string.Join(", ", parameter.shape)}].");
            parameter.copy_(value);
        }
    }

    /// <summary>Registers a parameter under its SAELens name.</summary>
    protected void AddParameter(string name, Tensor initial)
    {
        // Parameters live as long as the SAE, whatever dispose scope the caller had open.
        var parameter = new Parameter(initial.DetachFromDisposeScope(), requires_grad: true);
        GC.KeepAlive(initial); // reachable until the native call that wraps it has returned
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        _named[name] = parameter;
    }

    /// <summary>
    /// Registers W_enc and b_enc (uniform in ±1/√d, PyTorch <c>nn.Linear</c>'s default), W_dec (random
    /// unit rows) and b_dec (zero), in that order: dictionary_learning's <c>AutoEncoder</c> initialisation.
    /// </summary>
    protected void AddLinearAutoencoderParameters(Generator generator)
    {
        AddParameter("W_enc", Initialization.UniformFanIn(generator, InputDimension, InputDimension, FeatureCount));
        AddParameter("b_enc", Initialization.UniformFanIn(generator, InputDimension, FeatureCount));
        AddParameter("W_dec", Initialization.UnitRows(generator, FeatureCount, InputDimension));
        AddParameter("b_dec", zeros(InputDimension));
    }

    /// <summary>The parameter registered as <paramref name="name"/>.</summary>
    protected Parameter Get(string name) => _named[name];

    /// <summary>Throws unless <paramref name="x"/> is a floating-point tensor whose last dimension is <paramref name="size"/>.</summary>
    protected static void CheckLastDimension(Tensor x, int size, string what)
    {
        if (x.dim() == 0 || x.shape[^1] != size)
            throw new ArgumentException($"The {what} must have last dimension {size}; got shape [{string.Join(", ", x.shape)}].");
        if (!is_floating_point(x))
            throw new ArgumentException($"The {what} must be floating point; got {x.dtype}.");
    }

    /// <summary>x − b_dec after checking x's shape: the centred input every architecture encodes.</summary>
    protected Tensor Centre(Tensor x)
    {
        CheckLastDimension(x, InputDimension, "activations x");
        return x - b_dec;
    }
}
