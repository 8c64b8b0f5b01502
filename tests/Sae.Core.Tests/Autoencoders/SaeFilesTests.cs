using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Autoencoders;

public sealed class SaeFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Architectures => ["standard", "gated", "topk", "jumprelu"];

    private static SparseAutoencoder Make(string architecture, long seed) => architecture switch
    {
        "standard" => new StandardSae(12, 40, seed),
        "gated" => new GatedSae(12, 40, seed),
        "topk" => new TopKSae(12, 40, 5, seed),
        _ => new JumpReluSae(12, 40, seed),
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_architecture_round_trips_exactly(string architecture)
    {
        using var sae = Make(architecture, seed: 9);
        using (var noGrad = no_grad())
            foreach (var p in sae.Parameters.Values) p.add_(rand_like(p)); // make every tensor non-trivial
        SaeFiles.Save(sae, _dir, new JsonObject { ["l1_penalty"] = 0.05 });

        using var loaded = SaeFiles.Load(_dir);
        loaded.GetType().Should().Be(sae.GetType());
        loaded.Parameters.Keys.Should().Equal(sae.Parameters.Keys);
        foreach (var (name, p) in sae.Parameters)
            loaded.Parameters[name].data<float>().ToArray().Should().Equal(p.data<float>().ToArray(), name);
        if (sae is TopKSae topK) ((TopKSae)loaded).K.Should().Be(topK.K);

        var config = SaeFiles.ReadConfig(_dir);
        config.Architecture.Should().Be(architecture);
        config.InputDimension.Should().Be(12);
        config.FeatureCount.Should().Be(40);
        config.DType.Should().Be("float32");
        config.Training!["l1_penalty"]!.GetValue<double>().Should().Be(0.05);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo(SaeFiles.WeightsFileName, SaeFiles.ConfigFileName);
    }

    [Fact]
    public void The_weights_file_is_safetensors_with_saelens_names_and_layout()
    {
        using var sae = new StandardSae(12, 40);
        SaeFiles.Save(sae, _dir);
        var header = SafetensorsHeader.Read(Path.Combine(_dir, SaeFiles.WeightsFileName));
        header.Keys.Should().BeEquivalentTo("W_enc", "b_enc", "W_dec", "b_dec");
        header.Values.Should().OnlyContain(t => t.DType == "F32");
        header["W_enc"].Shape.Should().Equal(12, 40);
        header["W_dec"].Shape.Should().Equal(40, 12);
        header["b_enc"].Shape.Should().Equal(40);
        header["b_dec"].Shape.Should().Equal(12);
    }

    [Fact]
    public void A_truncated_weights_file_is_refused_before_reading()
    {
        using var sae = new StandardSae(12, 40);
        SaeFiles.Save(sae, _dir);
        var weights = Path.Combine(_dir, SaeFiles.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        var load = () => SaeFiles.Load(_dir);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*truncated: tensor*");

        File.WriteAllBytes(weights, bytes[..5]);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*truncated: 5 bytes*");
    }

    [Fact]
    public void A_foreign_file_is_refused()
    {
        using var sae = new StandardSae(12, 40);
        SaeFiles.Save(sae, _dir);
        File.WriteAllText(Path.Combine(_dir, SaeFiles.WeightsFileName), "\u0089PNG\r\n\u001a\n not weights at all, just a picture header and some text");
        var load = () => SaeFiles.Load(_dir);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*not a safetensors file*");
    }

    [Fact]
    public void Weights_that_do_not_match_the_config_are_refused_by_name()
    {
        using var sae = new StandardSae(12, 40);
        SaeFiles.Save(sae, _dir);
        var cfg = Path.Combine(_dir, SaeFiles.ConfigFileName);
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"d_sae\": 40", "\"d_sae\": 41"));
        var load = () => SaeFiles.Load(_dir);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*tensor 'W_enc' is [12, 40]; cfg.json (d_in 12, d_sae 41) needs [12, 41]*");

        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"d_sae\": 41", "\"d_sae\": 40").Replace("\"standard\"", "\"gated\""));
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*needs a tensor 'b_gate'*");

        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"gated\"", "\"mystery\""));
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*unknown architecture 'mystery'*");

        File.WriteAllText(cfg, "{ not json");
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*cfg.json is not a valid SAE configuration*");

        File.Delete(cfg);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*no cfg.json*");
    }
}
