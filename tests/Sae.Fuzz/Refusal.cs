namespace Sae.Fuzz;

/// <summary>Runs a reader and lets through only the refusals its documentation promises.</summary>
internal static class Refusal
{
    /// <summary>Calls <paramref name="read"/>; an exception of one of <paramref name="documented"/> types (or a subtype) is the reader refusing the input and is swallowed.</summary>
    public static void Allow(Action read, params Type[] documented)
    {
        try
        {
            read();
        }
        catch (Exception e) when (documented.Any(t => t.IsInstanceOfType(e)))
        {
            // A named refusal: what the reader promises for input it cannot use.
        }
    }
}
