namespace Sae.Metrics.Reports;

/// <summary>What the feature browser shows of one chosen feature.</summary>
/// <param name="Feature">The feature's index in the SAE.</param>
/// <param name="Channel">The class whose lift <paramref name="Lift"/> maps: the class of the feature's largest lift.</param>
/// <param name="Lift">Per square (index 8·(rank − 1) + file), P(class | on) − P(class).</param>
/// <param name="Informative">Per square, whether the class varies there at all (0 &lt; P(class) &lt; 1); squares where it never or always holds, such as Othello's four starting squares for blank, are drawn grey.</param>
/// <param name="Top">The positions where it is largest, largest first.</param>
/// <param name="Histogram">Counts of its positive activations in equal bins over (0, <paramref name="HistogramMax"/>].</param>
/// <param name="HistogramMax">The upper end of the histogram: the feature's largest activation.</param>
/// <param name="Neighbours">The features whose decoder directions are nearest (cosine similarity), nearest first.</param>
public sealed record FeatureDetail(int Feature, int Channel, IReadOnlyList<double> Lift, IReadOnlyList<bool> Informative,
    IReadOnlyList<FeatureDetail.Example> Top, IReadOnlyList<long> Histogram, double HistogramMax, IReadOnlyList<FeatureDetail.Neighbour> Neighbours)
{
    /// <summary>A position where the feature fires, with the board there.</summary>
    /// <param name="Row">The sample's row in the train split.</param>
    /// <param name="Activation">The feature's activation there.</param>
    /// <param name="Board">The board.</param>
    public sealed record Example(int Row, double Activation, BoardPicture Board);

    /// <summary>A feature whose decoder direction is near.</summary>
    /// <param name="Feature">Its index.</param>
    /// <param name="Cosine">The cosine similarity of the two decoder rows.</param>
    public sealed record Neighbour(int Feature, double Cosine);
}
