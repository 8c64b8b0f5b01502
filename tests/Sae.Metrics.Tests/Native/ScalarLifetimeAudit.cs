using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace Sae.Metrics.Tests.Native;

/// <summary>
/// Reads the IL of compiled methods and finds the calls that hand libtorch a <c>TorchSharp.Scalar</c> (or a
/// tensor made from a number) that nothing keeps alive while the native call runs: an implicit conversion
/// at the call site, or a TorchSharp method that makes such a temporary inside (directly or through the
/// TorchSharp methods it calls). Such a temporary can be finalised by the garbage collector, which frees its
/// native memory, while libtorch still reads it (TorchSharp 0.107; dotnet/TorchSharp#1496).
/// </summary>
public static class ScalarLifetimeAudit
{
    private static readonly ConcurrentDictionary<MethodBase, bool> MakesTemporaries = new();

    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    /// <summary>
    /// The unsafe call sites in <paramref name="assembly"/>, as "Type.Method: what it calls". A method may make a
    /// scalar with <c>ToScalar()</c> only if it also disposes one (a <c>using</c> declaration) for each it
    /// makes, or stores it in a field (an instance's scalars are disposed with it; a static one lives as long as the process).
    /// </summary>
    public static IReadOnlyList<string> UnsafeCallSites(Assembly assembly)
    {
        var found = new List<string>();
        foreach (var type in assembly.GetTypes())
        foreach (var method in IlInstructions.DeclaredMethods(type))
        {
            var callees = Callees(method).ToList();
            foreach (var callee in callees)
            {
                if (IsImplicitConversion(callee) || callee.DeclaringType?.Assembly == TorchSharpAssembly && MakesTemporary(callee))
                    found.Add($"{type.FullName}.{method.Name}: {callee.DeclaringType!.Name}.{callee}{Chain(callee)}");
                else if (callee is MethodInfo { IsVirtual: true, IsFinal: false } virtualCallee && callee.DeclaringType?.Assembly == TorchSharpAssembly
                    && Overrides(virtualCallee).FirstOrDefault(MakesTemporary) is { } culprit)
                    found.Add($"{type.FullName}.{method.Name}: {callee.DeclaringType!.Name}.{callee}, overridden by {culprit.DeclaringType!.Name}.{culprit.Name}{Chain(culprit)}");
            }
            var made = callees.Count(IsExplicitConversion);
            var kept = callees.Count(c => c.Name == "Dispose") + Operands(method).OfType<FieldInfo>().Count(f => f.FieldType == typeof(Scalar));
            if (made > kept)
                found.Add($"{type.FullName}.{method.Name}: makes {made} scalars with ToScalar() but disposes or keeps in fields only {kept}");
        }
        return found;
    }

    /// <summary>The overrides of a TorchSharp virtual method in TorchSharp's own classes (what a call of it may run).</summary>
    private static IEnumerable<MethodInfo> Overrides(MethodInfo method)
    {
        var root = method.GetBaseDefinition();
        foreach (var type in TorchSharpTypes.Value)
        {
            if (!method.DeclaringType!.IsAssignableFrom(type)) continue;
            foreach (var candidate in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                if (candidate.Name == method.Name && candidate.GetBaseDefinition() == root) yield return candidate;
        }
    }

    private static readonly Lazy<Type[]> TorchSharpTypes = new(() => TorchSharpAssembly.GetTypes());

    private static bool IsImplicitConversion(MethodBase callee) =>
        callee.Name == "op_Implicit" && (callee.DeclaringType == typeof(Scalar) || callee.DeclaringType == typeof(torch.Tensor));

    private static bool IsExplicitConversion(MethodBase callee) =>
        callee.Name == "ToScalar" && callee.DeclaringType == typeof(ScalarExtensionMethods);

    /// <summary>
    /// Whether a TorchSharp method makes a scalar inside (itself, or through the TorchSharp methods and lambdas it
    /// names). A tensor made from a number only to be returned (as <c>gt(null)</c> returns <c>false</c>) is the
    /// caller's, so inside TorchSharp only scalars count. Inside TorchSharp a virtual call is read as the method
    /// the IL names; only a call from the audited code is also checked against every TorchSharp override (as
    /// <c>optimizer.step()</c>, which the IL names as the base class's), since there the receiver is not known.
    /// </summary>
    private static bool MakesTemporary(MethodBase method)
    {
        if (MakesTemporaries.TryGetValue(method, out var known)) return known;
        MakesTemporaries[method] = false; // a cycle: assumed not while this one is being read
        var culprit = Callees(method).FirstOrDefault(c =>
            (c.Name == "op_Implicit" && c.DeclaringType == typeof(Scalar)) || IsExplicitConversion(c)
            || c.DeclaringType?.Assembly == TorchSharpAssembly && MakesTemporary(c));
        var result = culprit is not null;
        if (culprit is not null) Why[method] = culprit;
        MakesTemporaries[method] = result;
        return result;
    }

    // For each TorchSharp method found to make a temporary, the callee through which it does.
    private static readonly ConcurrentDictionary<MethodBase, MethodBase> Why = new();

    /// <summary>How a TorchSharp method comes to make a temporary: " (via A.b -> C.d)", or "" when it makes it itself.</summary>
    private static string Chain(MethodBase method)
    {
        var parts = new List<string>();
        var seen = new HashSet<MethodBase>();
        while (Why.TryGetValue(method, out var next) && seen.Add(method))
        {
            parts.Add($"{next.DeclaringType?.Name}.{next.Name}");
            method = next;
        }
        return parts.Count == 0 ? "" : $" (via {string.Join(" -> ", parts)})";
    }

    private static IEnumerable<MethodBase> Callees(MethodBase method) => Operands(method).OfType<MethodBase>();

    /// <summary>The methods and fields that <paramref name="method"/>'s IL names (calls, ldftn, field stores).</summary>
    private static IEnumerable<MemberInfo> Operands(MethodBase method) =>
        IlInstructions.Of(method)
            .Where(i => i.Member is not null && (i.OpCode.OperandType == OperandType.InlineMethod || i.OpCode == OpCodes.Stfld || i.OpCode == OpCodes.Stsfld))
            .Select(i => i.Member!);
}
