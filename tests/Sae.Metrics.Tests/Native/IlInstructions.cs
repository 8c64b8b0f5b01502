using System.Reflection;
using System.Reflection.Emit;

namespace Sae.Metrics.Tests.Native;

/// <summary>One IL instruction of a compiled method: where it is, what it does and what it names.</summary>
/// <param name="Offset">Its byte offset in the method body.</param>
/// <param name="OpCode">The operation.</param>
/// <param name="Member">The method or field it names (calls, <c>ldftn</c>, field loads and stores), if it resolves.</param>
/// <param name="Variable">The local or argument index of a <c>ldloc</c>/<c>stloc</c>/<c>ldarg</c>-family instruction (the short forms included).</param>
/// <param name="Targets">The offsets a branch or switch may jump to (empty for other instructions).</param>
public sealed record IlInstruction(int Offset, OpCode OpCode, MemberInfo? Member, int? Variable, IReadOnlyList<int> Targets);

/// <summary>Decodes the IL of compiled methods (for the audits of what the library hands libtorch).</summary>
public static class IlInstructions
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The methods and constructors declared by <paramref name="type"/>, of any visibility, static or not.</summary>
    public static IEnumerable<MethodBase> DeclaredMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));

    /// <summary>The instructions of <paramref name="method"/> in order; none when it has no body that can be read.</summary>
    public static IReadOnlyList<IlInstruction> Of(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { return []; }
        if (il is null) return [];
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var result = new List<IlInstruction>();
        for (var i = 0; i < il.Length;)
        {
            var offset = i;
            OpCode op;
            if (il[i] == 0xFE) { op = OpCodesByValue[(short)(0xFE00 | il[i + 1])]; i += 2; }
            else { op = OpCodesByValue[il[i]]; i += 1; }
            var size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            MemberInfo? member = null;
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField)
            {
                try { member = module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (Exception) { }
            }
            var next = i + size;
            IReadOnlyList<int> targets = op.OperandType switch
            {
                OperandType.ShortInlineBrTarget => [next + (sbyte)il[i]],
                OperandType.InlineBrTarget => [next + BitConverter.ToInt32(il, i)],
                OperandType.InlineSwitch => [.. Enumerable.Range(0, BitConverter.ToInt32(il, i)).Select(k => next + BitConverter.ToInt32(il, i + 4 + 4 * k))],
                _ => [],
            };
            result.Add(new IlInstruction(offset, op, member, Variable(op, il, i), targets));
            i = next;
        }
        return result;
    }

    /// <summary>The local or argument index an instruction reads or writes, from its short form or its operand.</summary>
    private static int? Variable(OpCode op, byte[] il, int operand)
    {
        var name = op.Name!;
        if (!(name.StartsWith("ldloc") || name.StartsWith("stloc") || name.StartsWith("ldarg") || name.StartsWith("starg"))) return null;
        if (name.Length > 6 && name[^2] == '.' && char.IsDigit(name[^1])) return name[^1] - '0';
        return op.OperandType switch
        {
            OperandType.ShortInlineVar => il[operand],
            OperandType.InlineVar => BitConverter.ToUInt16(il, operand),
            _ => null,
        };
    }
}
