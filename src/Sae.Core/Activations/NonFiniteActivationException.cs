namespace Sae.Core.Activations;

/// <summary>Activations given to training or evaluation hold NaN or ±infinity.</summary>
public sealed class NonFiniteActivationException : Exception
{
    /// <summary>Creates the exception for value <paramref name="value"/> at row <paramref name="row"/>, column <paramref name="column"/> of <paramref name="source"/>.</summary>
    public NonFiniteActivationException(string source, long row, int column, float value)
        : base($"{source}: activation row {row}, column {column} is {value}; SAEs are not trained or measured on NaN or infinite activations")
    {
        Activations = source;
        Row = row;
        Column = column;
        Value = value;
    }

    /// <summary>What the activations are (a file or store path, or a type name).</summary>
    public string Activations { get; }

    /// <summary>The row (0-based) that holds the value.</summary>
    public long Row { get; }

    /// <summary>Its column.</summary>
    public int Column { get; }

    /// <summary>The value: NaN, +∞ or −∞.</summary>
    public float Value { get; }
}
