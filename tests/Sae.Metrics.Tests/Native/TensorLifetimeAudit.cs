using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace Sae.Metrics.Tests.Native;

/// <summary>
/// Reads the IL of compiled methods and finds the TorchSharp calls that hand libtorch a tensor nothing keeps alive
/// while the native call runs: a temporary (the result of another call, used at once) passed as an argument or as
/// the receiver of a method that does not return it, an array of such temporaries, or a local variable at its last
/// use. In an optimised build the garbage collector may finalise such a tensor during the call, freeing the native
/// tensor libtorch is reading (a Release-only crash). A call is safe inside a dispose scope, which keeps every tensor
/// made in it referenced: after <c>NewDisposeScope()</c> in the same method, or in a method that only runs inside
/// one (not visible outside its assembly, and every call of it, or every delegate made of it, is itself in a scope).
/// </summary>
/// <remarks>
/// An approximation, erring towards reporting: a stack simulation over the IL in order (branches carry their stack),
/// a local counted as alive when it is read again later in the method or, inside a loop, anywhere in the loop.
/// In-place methods (a name ending in '_') and <c>DetachFromDisposeScope</c>/<c>MoveToOuterDisposeScope</c> return
/// their receiver, which is therefore alive through the call; <c>new Parameter(t)</c> takes <c>t</c>'s native tensor
/// before calling libtorch. A method of the audited code returns a temporary unless its IL only returns tensors held
/// elsewhere (a field, a dictionary); other libraries' methods (a dictionary's indexer) return held ones, delegates new ones.
/// </remarks>
public static class TensorLifetimeAudit
{
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    private enum Kind { Other, Held, Temporary }

    /// <summary>A value on the simulated evaluation stack; <see cref="Local"/> is the local it was loaded from.</summary>
    private readonly record struct Value(Kind Kind, int? Local = null);

    /// <summary>What one method does: its unsafe sites outside a scope of its own, the audited methods it calls or makes delegates of.</summary>
    private sealed record Reading(bool Visible, List<string> Sites, List<(MethodBase Callee, bool Scoped)> Calls)
    {
        /// <summary>Whether every tensor the method returns is held elsewhere (a field, a dictionary): not a temporary of the caller's.</summary>
        public bool ReturnsHeld { get; set; } = true;
    }

    /// <summary>The unsafe call sites in <paramref name="assembly"/>, as "Type.Method: what is handed to what".</summary>
    public static IReadOnlyList<string> UnsafeCallSites(Assembly assembly)
    {
        var readings = new Dictionary<MethodBase, Reading?>();
        foreach (var type in assembly.GetTypes())
        foreach (var method in IlInstructions.DeclaredMethods(type))
            ReadingOf(method, readings);

        // Callers of each audited method, with whether the call (or the delegate's creation) is inside a scope.
        var callers = new Dictionary<MethodBase, List<(MethodBase Caller, bool Scoped)>>();
        foreach (var (caller, reading) in readings)
            foreach (var (callee, scoped) in reading!.Calls)
                if (readings.ContainsKey(callee))
                    (callers.TryGetValue(callee, out var list) ? list : callers[callee] = []).Add((caller, scoped));

        // Covered: runs only inside a scope. Starts from "every hidden method with callers" and removes, until nothing
        // changes, those with a call from outside a scope in a method that is not covered.
        var covered = readings.Where(r => r.Key.DeclaringType?.Assembly == assembly && !r.Value!.Visible && callers.ContainsKey(r.Key)).Select(r => r.Key).ToHashSet();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var method in covered.ToList())
                if (callers[method].Any(c => !c.Scoped && !covered.Contains(c.Caller)))
                    changed = covered.Remove(method);
        }
        return [.. readings.Where(r => r.Key.DeclaringType?.Assembly == assembly && !covered.Contains(r.Key)).SelectMany(r => r.Value!.Sites)];
    }

    /// <summary>The reading of <paramref name="method"/>, made once; null while it is being made (a recursive call).</summary>
    private static Reading? ReadingOf(MethodBase method, Dictionary<MethodBase, Reading?> readings)
    {
        if (readings.TryGetValue(method, out var known)) return known;
        readings[method] = null;
        return readings[method] = Read(method, readings);
    }

    private static Reading Read(MethodBase method, Dictionary<MethodBase, Reading?> readings)
    {
        var audited = method.DeclaringType?.Assembly;
        var visible = method.DeclaringType is { IsVisible: true } && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly);
        var reading = new Reading(visible, [], []);
        var code = IlInstructions.Of(method);
        if (code.Count == 0) return reading;
        var reads = code.Where(i => i.Variable is not null && (i.OpCode.Name!.StartsWith("ldloc"))).ToLookup(i => i.Variable!.Value, i => i.Offset);
        var loops = code.SelectMany(i => i.Targets.Where(t => t <= i.Offset).Select(t => (Start: t, End: i.Offset))).ToList();
        var where = $"{method.DeclaringType?.FullName}.{method.Name}";

        var carried = new Dictionary<int, List<Value>>();
        List<Value>? stack = [];
        var scoped = false;
        var storedTemporaries = false;
        var owned = new HashSet<int>(); // locals whose last store was a temporary
        foreach (var instruction in code)
        {
            if (carried.TryGetValue(instruction.Offset, out var incoming)) stack = stack is null ? [.. incoming] : Merge(stack, incoming);
            stack ??= [];
            var op = instruction.OpCode;
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
            {
                var callee = (MethodBase)instruction.Member!;
                var count = callee.GetParameters().Length + (op != OpCodes.Newobj && !callee.IsStatic ? 1 : 0);
                var operands = Pop(stack, count);
                if (callee.Name == "NewDisposeScope") scoped = true;
                if (callee.DeclaringType?.Assembly == audited) reading.Calls.Add((callee, scoped));
                if (!scoped && callee.DeclaringType?.Assembly == TorchSharpAssembly)
                    Check(callee, op, operands, instruction.Offset, reads, loops, storedTemporaries, where, reading.Sites);
                else if (!IsOurs(callee) && operands.Any(o => o.Kind == Kind.Temporary)) storedTemporaries = true; // e.g. List.Add
                var returned = Returns(callee, op);
                if (returned != typeof(void)) stack.Add(Result(callee, returned, operands, readings));
            }
            else if (op == OpCodes.Ldftn || op == OpCodes.Ldvirtftn)
            {
                if (op == OpCodes.Ldvirtftn) Pop(stack, 1);
                if (instruction.Member is MethodBase target && target.DeclaringType?.Assembly == audited) reading.Calls.Add((target, scoped));
                stack.Add(default);
            }
            else if (op.Name!.StartsWith("ldloca") || op.Name.StartsWith("ldarga")) stack.Add(default);
            else if (op.Name.StartsWith("ldloc")) stack.Add(new Value(Kind.Held, owned.Contains(instruction.Variable!.Value) ? instruction.Variable : null));
            else if (op.Name.StartsWith("stloc"))
            {
                if (Pop(stack, 1)[0].Kind == Kind.Temporary) owned.Add(instruction.Variable!.Value);
                else owned.Remove(instruction.Variable!.Value);
            }
            else if (op.Name.StartsWith("ldarg") || op == OpCodes.Ldfld || op == OpCodes.Ldsfld || op == OpCodes.Ldelem_Ref) { Pop(stack, Pops(op, method)); stack.Add(new Value(Kind.Held)); }
            else if (op == OpCodes.Ret && method is MethodInfo { ReturnType: var r } && r != typeof(void))
            {
                var value = Pop(stack, 1)[0];
                if (value.Kind == Kind.Temporary || value.Local is not null) reading.ReturnsHeld = false;
            }
            else if (op == OpCodes.Dup) stack.Add(stack.Count > 0 ? stack[^1] : default);
            else
            {
                // A temporary stored into an array or through a reference (a collection expression's span) is held only by that collection.
                if (Pop(stack, Pops(op, method)) is [.., { Kind: Kind.Temporary }] && (op.Name!.StartsWith("stelem") || op == OpCodes.Stind_Ref)) storedTemporaries = true;
                for (var k = Pushes(op); k > 0; k--) stack.Add(default);
            }
            foreach (var target in instruction.Targets)
                carried[target] = carried.TryGetValue(target, out var known) ? Merge(known, stack) : [.. stack];
            if (op == OpCodes.Leave || op == OpCodes.Leave_S)
                foreach (var target in instruction.Targets) carried[target] = [];
            if (op.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw || op == OpCodes.Endfinally || op == OpCodes.Leave || op == OpCodes.Leave_S)
                stack = null;
        }
        return reading;
    }

    /// <summary>Reports the operands of a TorchSharp call that nothing keeps alive through it.</summary>
    private static void Check(MethodBase callee, OpCode op, Value[] operands, int offset, ILookup<int, int> reads,
        List<(int Start, int End)> loops, bool storedTemporaries, string where, List<string> sites)
    {
        var returnsReceiver = ReturnsReceiver(callee);
        var takesHandle = op == OpCodes.Newobj && callee.DeclaringType?.Name == "Parameter";
        var name = $"{callee.DeclaringType!.Name}.{callee.Name}";
        for (var k = 0; k < operands.Length; k++)
        {
            var receiver = k == 0 && op != OpCodes.Newobj && !callee.IsStatic;
            if (receiver && (returnsReceiver || callee.Name == "Dispose") || takesHandle) continue;
            var role = receiver ? "the receiver of" : "an argument of";
            if (!receiver && storedTemporaries && TakesTensors(Parameter(callee, k)))
            {
                sites.Add($"{where}: a collection holding temporary tensors is {role} {name} (IL_{offset:x4})");
                continue;
            }
            switch (operands[k])
            {
                case { Kind: Kind.Temporary }:
                    sites.Add($"{where}: a temporary tensor is {role} {name} (IL_{offset:x4})");
                    break;
                case { Kind: Kind.Held, Local: { } local } when IsTensorLocal(callee, k, receiver) && !ReadAgain(local, offset, reads, loops):
                    sites.Add($"{where}: local {local}, at its last use, is {role} {name} (IL_{offset:x4})");
                    break;
            }
        }
    }

    /// <summary>Whether operand <paramref name="k"/> of the call is a tensor (the receiver of a Tensor method, or a tensor parameter).</summary>
    private static bool IsTensorLocal(MethodBase callee, int k, bool receiver) =>
        typeof(torch.Tensor).IsAssignableFrom(receiver ? callee.DeclaringType! : Parameter(callee, k).ParameterType);

    /// <summary>The parameter that operand <paramref name="k"/> of a call binds (operand 0 is the receiver of an instance method).</summary>
    private static ParameterInfo Parameter(MethodBase callee, int k) =>
        callee.GetParameters()[callee.IsStatic || callee.IsConstructor ? k : k - 1];

    /// <summary>Whether a parameter takes several tensors (an array, a span, a list or any other collection of them).</summary>
    private static bool TakesTensors(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var elements = type.IsArray ? [type.GetElementType()!] : type.GetInterfaces().Append(type).Where(t => t.IsGenericType).SelectMany(t => t.GetGenericArguments());
        return elements.Any(e => typeof(torch.Tensor).IsAssignableFrom(e));
    }

    /// <summary>Whether local <paramref name="local"/> is read after <paramref name="offset"/>, or inside a loop around it.</summary>
    private static bool ReadAgain(int local, int offset, ILookup<int, int> reads, List<(int Start, int End)> loops) =>
        reads[local].Any(r => r > offset) || loops.Any(l => l.Start <= offset && offset <= l.End && reads[local].Any(r => r >= l.Start && r <= l.End && r != offset));

    /// <summary>TorchSharp methods whose result is their receiver: in-place operations and the dispose-scope moves.</summary>
    private static bool ReturnsReceiver(MethodBase callee) =>
        !callee.IsStatic && typeof(torch.Tensor).IsAssignableFrom(callee.DeclaringType)
        && (callee.Name.EndsWith('_') || callee.Name is "DetachFromDisposeScope" or "MoveToOuterDisposeScope");

    /// <summary>The value a call leaves on the stack.</summary>
    private static Value Result(MethodBase callee, Type returned, Value[] operands, Dictionary<MethodBase, Reading?> readings)
    {
        if (!typeof(torch.Tensor).IsAssignableFrom(returned)) return default;
        var from = callee.DeclaringType?.Assembly;
        if (from == TorchSharpAssembly) return ReturnsReceiver(callee) && operands.Length > 0 ? operands[0] with { Local = null } : new Value(Kind.Temporary);
        // The library's own methods (of any of its assemblies): as their IL returns (an abstract or recursive one, a temporary).
        if (IsOurs(callee)) return ReadingOf(callee, readings) is { ReturnsHeld: true } && callee.GetMethodBody() is not null ? new Value(Kind.Held) : new Value(Kind.Temporary);
        // Other libraries' (a dictionary's indexer, a list's): a reference they hold; a delegate's result is new.
        return callee.Name == "Invoke" && typeof(Delegate).IsAssignableFrom(callee.DeclaringType) ? new Value(Kind.Temporary) : new Value(Kind.Held);
    }

    /// <summary>Whether a method is the library's (an assembly named Sae.*), whose IL is read rather than assumed.</summary>
    private static bool IsOurs(MethodBase method) => method.DeclaringType?.Assembly.GetName().Name?.StartsWith("Sae.") == true;

    /// <summary>The type a call pushes: the constructed type for <c>newobj</c>, <c>void</c> when nothing.</summary>
    private static Type Returns(MethodBase callee, OpCode op) =>
        op == OpCodes.Newobj ? callee.DeclaringType! : callee is MethodInfo m ? m.ReturnType : typeof(void);

    private static Value[] Pop(List<Value> stack, int count)
    {
        var values = new Value[count];
        for (var k = count - 1; k >= 0; k--)
        {
            if (stack.Count == 0) break; // a handler's entry (the exception object) is not simulated
            values[k] = stack[^1];
            stack.RemoveAt(stack.Count - 1);
        }
        return values;
    }

    /// <summary>Where two paths meet: a slot holds a temporary if it does on either.</summary>
    private static List<Value> Merge(List<Value> a, List<Value> b)
    {
        if (a.Count != b.Count) return a.Count >= b.Count ? [.. a] : [.. b];
        return [.. a.Zip(b, (x, y) => x.Kind >= y.Kind ? x : y)];
    }

    private static int Pops(OpCode op, MethodBase method) => op.StackBehaviourPop switch
    {
        StackBehaviour.Pop0 => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8 or StackBehaviour.Popi_popr4
            or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        StackBehaviour.Varpop => op == OpCodes.Ret && method is MethodInfo { ReturnType: var r } && r != typeof(void) ? 1 : 0,
        _ => 3,
    };

    private static int Pushes(OpCode op) => op.StackBehaviourPush switch
    {
        StackBehaviour.Push0 or StackBehaviour.Varpush => 0,
        StackBehaviour.Push1_push1 => 2,
        _ => 1,
    };
}
