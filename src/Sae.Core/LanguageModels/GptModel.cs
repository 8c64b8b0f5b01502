using static TorchSharp.torch;
using TorchSharp.Modules;
using F = TorchSharp.torch.nn.functional;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.LanguageModels;

/// <summary>
/// A decoder-only transformer with nanoGPT's architecture and parameter names: token and position
/// embeddings (<c>transformer.wte</c>, <c>transformer.wpe</c>), pre-norm blocks
/// <c>transformer.h.{i}</c> of causal self-attention (<c>ln_1</c>, <c>attn.c_attn</c> packing q, k, v
/// as rows [3·d, d], <c>attn.c_proj</c>) and a GELU MLP (<c>ln_2</c>, <c>mlp.c_fc</c>, <c>mlp.c_proj</c>),
/// a final <c>transformer.ln_f</c>, and <c>lm_head</c> tied to <c>wte</c> unless the configuration says
/// otherwise. Layer norms use ε = 1e-5; GELU is the exact (erf) one; there is no dropout.
/// </summary>
/// <remarks>
/// Layers are numbered from 0. "The residual stream after block L" is the input of block L + 1
/// (TransformerLens's <c>blocks.{L}.hook_resid_post</c>), which is what the paper's SAEs read.
/// Reading or patching it runs no block above L that it does not need.
/// </remarks>
public sealed class GptModel : IDisposable
{
    private const double LayerNormEpsilon = 1e-5;
    private readonly Dictionary<string, Parameter> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _productWeights = new(StringComparer.Ordinal);
    private ScalarType _productType = ScalarType.Float32;

    /// <summary>A model of shape <paramref name="config"/> with nanoGPT's initial weights drawn from <paramref name="seed"/>:
    /// normal(0, 0.02) matrices and embeddings, output projections (<c>c_proj</c>) normal(0, 0.02/√(2·n_layer)),
    /// zero biases, unit layer-norm gains.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public GptModel(GptConfig config, long seed = 0)
    {
        config.Validate();
        Config = config;
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var projectionStd = 0.02 / Math.Sqrt(2.0 * config.Layers);
        foreach (var (name, shape) in ParameterShapes(config))
        {
            using var std = (name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? projectionStd : 0.02).ToScalar();
            Tensor initial = name.EndsWith(".bias", StringComparison.Ordinal) ? zeros(shape)
                : name.Contains("ln_", StringComparison.Ordinal) ? ones(shape)
                : randn(shape, float32, generator: generator).mul_(std);
            var parameter = new Parameter(initial.DetachFromDisposeScope(), requires_grad: true);
            parameter.DetachFromDisposeScope();
            _parameters[name] = parameter;
        }
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config { get; }

    /// <summary>The parameters by nanoGPT name (a tied <c>lm_head.weight</c> is not listed: it is <c>transformer.wte.weight</c>).</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters => _parameters;

    /// <summary>Where the parameters are.</summary>
    public Device Device => _parameters["transformer.wte.weight"].device;

    /// <summary>Number of parameters (a tied unembedding counted once).</summary>
    public long ParameterCount => _parameters.Values.Sum(p => p.numel());

    /// <summary>
    /// The element type of the matrix products: float32 (the default), or bfloat16 for mixed precision. In
    /// bfloat16 only the products' operands are bfloat16 — the four linear maps of each block and the
    /// unembedding, which run several times faster on hardware with bfloat16 units — while the embeddings,
    /// layer norms, GELU, attention, residual additions, the loss and the parameters (the master weights an
    /// optimiser updates) stay float32, since those operations run slower in bfloat16 on CPUs. Every tensor the
    /// model returns is float32 either way. The weights' bfloat16 copies are made once per forward pass that
    /// records gradients (one per optimiser step in training) and otherwise once, kept until the parameters are
    /// loaded, converted or moved, or until <see cref="RefreshProductWeights"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A type other than float32 or bfloat16.</exception>
    public ScalarType ProductType
    {
        get => _productType;
        set
        {
            if (value is not (ScalarType.Float32 or ScalarType.BFloat16))
                throw new ArgumentException($"Matrix products run in float32 or bfloat16, not {value}.", nameof(value));
            _productType = value;
            RefreshProductWeights();
        }
    }

    /// <summary>
    /// How attention is computed: <see cref="LanguageModels.AttentionKernel.Fused"/> (the default, the faster where
    /// measured) or <see cref="LanguageModels.AttentionKernel.Explicit"/>; both give the same result to float32 rounding.
    /// </summary>
    public AttentionKernel AttentionKernel { get; set; } = AttentionKernel.Fused;

    /// <summary>
    /// Drops the bfloat16 copies of the weights that inference under <see cref="ProductType"/> bfloat16 keeps, so the
    /// next forward pass copies the parameters afresh. Call it after changing parameters in place outside a
    /// forward pass that records gradients (an optimiser step after one is seen to).
    /// </summary>
    public void RefreshProductWeights()
    {
        foreach (var copy in _productWeights.Values) copy.Dispose();
        _productWeights.Clear();
    }

    /// <summary>
    /// Called, when set, with the name and input type of every operation of a forward pass that is not a matrix
    /// product (tests check that mixed precision leaves them all float32).
    /// </summary>
    internal Action<string, ScalarType>? OperationObserver { get; set; }

    /// <summary>Every parameter's name and shape for <paramref name="config"/>, in nanoGPT's order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(GptConfig config)
    {
        var d = config.ModelDimension;
        var m = config.EffectiveMlpDimension;
        var list = new List<(string, long[])>
        {
            ("transformer.wte.weight", [config.VocabularySize, d]),
            ("transformer.wpe.weight", [config.ContextLength, d]),
        };
        void Add(string name, long[] weight, long bias)
        {
            list.Add((name + ".weight", weight));
            if (config.Bias) list.Add((name + ".bias", [bias]));
        }
        for (var i = 0; i < config.Layers; i++)
        {
            var h = $"transformer.h.{i}.";
            Add(h + "ln_1", [d], d);
            Add(h + "attn.c_attn", [3 * d, d], 3 * d);
            Add(h + "attn.c_proj", [d, d], d);
            Add(h + "ln_2", [d], d);
            Add(h + "mlp.c_fc", [m, d], m);
            Add(h + "mlp.c_proj", [d, m], d);
        }
        Add("transformer.ln_f", [d], d);
        if (!config.TiedEmbeddings) list.Add(("lm_head.weight", [config.VocabularySize, d]));
        if (config.UnembeddingBias) list.Add(("lm_head.bias", [config.VocabularySize]));
        return list;
    }

    /// <summary>Copies <paramref name="values"/> into the parameters by name; extra entries are an error.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, unexpected, or of another shape; the message names it.</exception>
    public void LoadParameters(IReadOnlyDictionary<string, Tensor> values)
    {
        var unexpected = values.Keys.Where(k => !_parameters.ContainsKey(k)).ToList();
        if (unexpected.Count > 0)
            throw new ArgumentException($"Unexpected tensors for this model shape: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? ", …" : "")}.");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _parameters)
        {
            if (!values.TryGetValue(name, out var value))
                throw new ArgumentException($"The model needs a tensor '{name}' of shape [{string.Join(", ", parameter.shape)}]; it is missing.");
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", value.shape)}]; the configuration needs [{string.Join(", ", parameter.shape)}].");
            if (!is_floating_point(value))
                throw new ArgumentException($"Tensor '{name}' is {value.dtype}; weights must be floating point.");
            parameter.copy_(value);
        }
        RefreshProductWeights();
    }

    /// <summary>Moves every parameter to <paramref name="device"/>.</summary>
    public void MoveTo(Device device) => ReplaceParameters(p => p.device == device ? null : p.to(device));

    /// <summary>Converts every parameter to <paramref name="type"/> (for example bfloat16, to run the matrix products in it).</summary>
    public void ConvertTo(ScalarType type) => ReplaceParameters(p => p.dtype == type ? null : p.to_type(type));

    /// <summary>Next-token logits [B, T, vocab] for token ids <paramref name="tokens"/> [B, T] (int64).</summary>
    public Tensor Logits(Tensor tokens)
    {
        using var x = Run(tokens, Config.Layers - 1);
        return Unembed(x);
    }

    /// <summary>
    /// Mean next-token cross-entropy of <paramref name="tokens"/> [B, T] against <paramref name="targets"/>
    /// [B, T]; targets of -1 are ignored. With <paramref name="patchLayer"/> set, the residual stream after
    /// that block is replaced by <paramref name="patch"/> of it before the blocks above run — the loss
    /// with an SAE's reconstruction, or with zeros, in place of the layer's output. Tensors the patch
    /// creates are disposed when this call returns (detach any it keeps).
    /// </summary>
    public Tensor Loss(Tensor tokens, Tensor targets, int? patchLayer = null, Func<Tensor, Tensor>? patch = null)
    {
        if (!targets.shape.SequenceEqual(tokens.shape))
            throw new ArgumentException($"Targets have shape [{string.Join(", ", targets.shape)}]; the tokens have [{string.Join(", ", tokens.shape)}].");
        if ((patchLayer is null) != (patch is null)) throw new ArgumentException("A patch needs both a layer and a function.");
        if (patchLayer is { } layer) CheckLayer(layer);
        using var x = patchLayer is { } at ? Patched(tokens, at, patch!) : Run(tokens, Config.Layers - 1);
        using var logits = Unembed(x);
        Observe("loss", logits);
        using var scope = NewDisposeScope(); // keeps the reshaped views referenced through the native call that reads them
        return F.cross_entropy(logits.view(-1, Config.VocabularySize), targets.reshape(-1), ignore_index: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean cross-entropy of the next-token predictions for <paramref name="tokens"/> [B, T] against the
    /// target distributions <paramref name="distributions"/> [B, T, V], over the positions whose
    /// distribution is not all zero: the expected value of <see cref="Loss"/> when each target is drawn
    /// from its distribution.
    /// </summary>
    /// <exception cref="ArgumentException">The distributions' shape is not [B, T, V].</exception>
    public Tensor ExpectedLoss(Tensor tokens, Tensor distributions)
    {
        if (distributions.dim() != 3 || distributions.shape[0] != tokens.shape[0] || distributions.shape[1] != tokens.shape[1] || distributions.shape[2] != Config.VocabularySize)
            throw new ArgumentException($"Target distributions have shape [{string.Join(", ", distributions.shape)}]; expected [{tokens.shape[0]}, {tokens.shape[1]}, {Config.VocabularySize}].");
        using var x = Run(tokens, Config.Layers - 1);
        using var logits = Unembed(x);
        Observe("loss", logits);
        using var logProbabilities = F.log_softmax(logits, -1);
        using var product = logProbabilities.mul(distributions);
        using var total = product.sum();
        using var mass = distributions.sum(dim: -1);
        using var isScored = mass.gt(Scalars.Zero);
        using var scored = isScored.sum();
        using var atLeastOne = scored.clamp_min(Scalars.One);
        using var negated = total.neg();
        return negated.div(atLeastOne);
    }

    /// <summary>The residual stream after block <paramref name="layer"/> (0-based) [B, T, d]; blocks above it are not run.</summary>
    public Tensor ResidualStream(Tensor tokens, int layer)
    {
        CheckLayer(layer);
        return Run(tokens, layer);
    }

    /// <summary>The MLP hidden activations (after GELU) of block <paramref name="layer"/> [B, T, d_mlp]: the "MLP neurons" baseline's features.</summary>
    public Tensor MlpActivations(Tensor tokens, int layer)
    {
        CheckLayer(layer);
        var (residual, hidden) = Run(tokens, layer, captureMlpOf: layer);
        residual.Dispose();
        return hidden!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        RefreshProductWeights();
        foreach (var p in _parameters.Values) p.Dispose();
        _parameters.Clear();
    }

    /// <summary>Replaces each parameter by <paramref name="convert"/> of it (null: keep it), keeping its name and gradient flag.</summary>
    private void ReplaceParameters(Func<Parameter, Tensor?> convert)
    {
        RefreshProductWeights();
        using var noGrad = no_grad();
        foreach (var name in _parameters.Keys.ToList())
        {
            var old = _parameters[name];
            if (convert(old) is not { } value) continue;
            var replaced = new Parameter(value.DetachFromDisposeScope(), requires_grad: old.requires_grad);
            replaced.DetachFromDisposeScope();
            _parameters[name] = replaced;
            old.Dispose();
        }
    }

    private Tensor Run(Tensor tokens, int lastLayer) => Run(tokens, lastLayer, captureMlpOf: null).Residual;

    /// <summary>Runs blocks 0..<paramref name="lastLayer"/>; also returns the MLP hidden activations of block <paramref name="captureMlpOf"/>.</summary>
    private (Tensor Residual, Tensor? MlpHidden) Run(Tensor tokens, int lastLayer, int? captureMlpOf)
    {
        CheckTokens(tokens);
        // A pass that records gradients precedes an update of the parameters: inference copies made now would go stale.
        if (is_grad_enabled()) RefreshProductWeights();
        using var scope = NewDisposeScope();
        var t = tokens.shape[1];
        using var length = t.ToScalar();
        using var positions = arange(Scalars.Zero, length, Scalars.One, dtype: int64, device: tokens.device);
        var x = P("transformer.wte.weight").index_select(0, tokens.reshape(-1)).view(tokens.shape[0], t, Config.ModelDimension)
            .add(P("transformer.wpe.weight").index_select(0, positions), Scalars.One);
        Tensor? captured = null;
        for (var i = 0; i <= lastLayer; i++) x = Block(x, i, i == captureMlpOf ? h => captured = h : null);
        return (x.MoveToOuterDisposeScope(), captured?.MoveToOuterDisposeScope());
    }

    /// <summary>The last block's output when the residual after block <paramref name="layer"/> is replaced by <paramref name="patch"/> of it.</summary>
    private Tensor Patched(Tensor tokens, int layer, Func<Tensor, Tensor> patch)
    {
        using var scope = NewDisposeScope();
        var x = patch(Run(tokens, layer));
        if (!x.shape.SequenceEqual([tokens.shape[0], tokens.shape[1], Config.ModelDimension]))
            throw new ArgumentException($"The patch returned shape [{string.Join(", ", x.shape)}]; the residual stream is [{tokens.shape[0]}, {tokens.shape[1]}, {Config.ModelDimension}].");
        for (var i = layer + 1; i < Config.Layers; i++) x = Block(x, i, null);
        return x.alias().MoveToOuterDisposeScope();
    }

    private Tensor Block(Tensor x, int i, Action<Tensor>? mlpHidden)
    {
        var h = $"transformer.h.{i}.";
        var (b, t, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var heads = Config.Heads;
        var a = LayerNorm(x, h + "ln_1");
        var qkv = Linear(a, h + "attn.c_attn").split(d, dim: 2);
        Tensor Heads(Tensor y) => y.view(b, t, heads, d / heads).transpose(1, 2);
        var attended = Attention(Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));
        x = Residual(x, Linear(attended.transpose(1, 2).reshape(b, t, d), h + "attn.c_proj"));
        var preActivation = Linear(LayerNorm(x, h + "ln_2"), h + "mlp.c_fc");
        Observe("gelu", preActivation);
        var hidden = F.gelu(preActivation);
        mlpHidden?.Invoke(hidden);
        return Residual(x, Linear(hidden, h + "mlp.c_proj"));
    }

    private Tensor Attention(Tensor q, Tensor k, Tensor v)
    {
        Observe("attention", q);
        return CausalAttention.Compute(q, k, v, AttentionKernel);
    }

    private Tensor Residual(Tensor x, Tensor update)
    {
        Observe("residual", update);
        return x.add(update, Scalars.One);
    }

    private Tensor Unembed(Tensor x)
    {
        using var normed = LayerNorm(x, "transformer.ln_f");
        return Product(normed, Config.TiedEmbeddings ? "transformer.wte.weight" : "lm_head.weight", Config.UnembeddingBias ? P("lm_head.bias") : null);
    }

    private Tensor LayerNorm(Tensor x, string name)
    {
        Observe("layer_norm", x);
        return F.layer_norm(x, [Config.ModelDimension], P(name + ".weight"), Config.Bias ? P(name + ".bias") : null, LayerNormEpsilon);
    }

    private Tensor Linear(Tensor x, string name) => Product(x, name + ".weight", Config.Bias ? P(name + ".bias") : null);

    /// <summary>
    /// x·Wᵀ + bias for the weight named <paramref name="weightName"/>, the product in <see cref="ProductType"/> and the
    /// result float32 (the bias added in float32, which also converts the bfloat16 product).
    /// </summary>
    private Tensor Product(Tensor x, string weightName, Tensor? bias)
    {
        if (_productType == ScalarType.Float32) return F.linear(x, P(weightName), bias);
        using var operand = x.to(_productType);
        using var product = F.linear(operand, ProductWeight(weightName));
        return bias is null ? product.to(ScalarType.Float32) : bias.add(product, Scalars.One);
    }

    /// <summary>
    /// The weight named <paramref name="name"/> in <see cref="ProductType"/>: a copy that autograd follows back to the
    /// float32 parameter while gradients are recorded (the caller's scope disposes it), else the kept inference copy.
    /// </summary>
    private Tensor ProductWeight(string name)
    {
        var weight = P(name);
        if (is_grad_enabled() && weight.requires_grad) return weight.to(_productType);
        if (!_productWeights.TryGetValue(name, out var copy))
        {
            using var noGrad = no_grad();
            copy = weight.to(_productType).DetachFromDisposeScope();
            _productWeights[name] = copy;
        }
        return copy;
    }

    private void Observe(string operation, Tensor input) => OperationObserver?.Invoke(operation, input.dtype);

    private Parameter P(string name) => _parameters[name];

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= Config.Layers)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The model has blocks 0..{Config.Layers - 1}.");
    }

    private void CheckTokens(Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.dtype != int64)
            throw new ArgumentException($"Tokens must be an int64 tensor [batch, positions]; got {tokens.dtype} [{string.Join(", ", tokens.shape)}].");
        if (tokens.shape[1] < 1 || tokens.shape[1] > Config.ContextLength)
            throw new ArgumentException($"Sequences of {tokens.shape[1]} tokens do not fit the context of {Config.ContextLength}.");
        if (tokens.numel() == 0) return;
        using var smallest = tokens.min();
        using var largest = tokens.max();
        var (min, max) = (smallest.item<long>(), largest.item<long>());
        if (min < 0 || max >= Config.VocabularySize)
            throw new ArgumentException($"Token ids must be in 0..{Config.VocabularySize - 1}; got values from {min} to {max}.");
    }
}
