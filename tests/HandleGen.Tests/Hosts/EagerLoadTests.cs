using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using HandleGen.Generator;

namespace HandleGen.Tests.Hosts;

/// <summary>
/// HG0900 must not depend on when a loader resolves types. A loader that resolves a class's field and signature types
/// as soon as the class is touched (Mono's) fails in the generator's constructor if anything the constructor touches
/// names a Scriban type, and the compiler then reports CS8032 instead of the generator's HG0900. .NET's loader is
/// lazy, with tiered compilation or without (the host test with Scriban.Signed.dll missing passes either way, so it
/// cannot show this), so the test does what such a loader does: it follows the constructor's calls through the
/// generator's own classes, as they run in the constructor (a delegate's target runs later, elsewhere), and checks
/// every field and signature of every class it reaches.
/// </summary>
public sealed class EagerLoadTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    [Fact]
    public void Nothing_the_generators_constructor_touches_names_a_Scriban_type()
    {
        var generator = typeof(LevelsGenerator);
        var touched = new HashSet<Type>();
        var visited = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>([generator.GetConstructor(Type.EmptyTypes)!]);
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (!visited.Add(method) || method.DeclaringType is not { } type || type.Assembly != generator.Assembly)
                continue;
            touched.Add(type);
            foreach (var callee in Calls(method))
                pending.Push(callee);
        }

        // The constructor reaches the class that starts the parse: the walk follows calls.
        Assert.Contains(touched, t => t.Name == "TemplateWarmup");
        foreach (var type in touched)
        {
            var named = type.GetFields(Everything).Select(f => (Member: f.Name, f.FieldType))
                .Concat(type.GetMethods(Everything).Concat<MethodBase>(type.GetConstructors(Everything))
                    .SelectMany(m => m.GetParameters().Select(p => p.ParameterType)
                        .Concat(m is MethodInfo info ? [info.ReturnType] : []).Select(t => (Member: m.Name, FieldType: t))))
                .Where(m => NamesScriban(m.FieldType))
                .Select(m => type.Name + "." + m.Member);
            Assert.Empty(named);
        }
    }

    /// <summary>Whether a type is Scriban's or built from one (an array, a pointer, a generic argument).</summary>
    private static bool NamesScriban(Type type) =>
        type.Assembly.GetName().Name == "Scriban.Signed"
        || (type.HasElementType && NamesScriban(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(NamesScriban));

    /// <summary>The methods a method's body calls or constructs with (call, callvirt, newobj), in IL order.</summary>
    private static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (var i = 0; i < il.Length;)
        {
            var opcode = OpCodesByValue[il[i] == 0xfe ? (short)(0xfe00 | il[i + 1]) : il[i]];
            i += opcode.Size;
            if (opcode == OpCodes.Call || opcode == OpCodes.Callvirt || opcode == OpCodes.Newobj)
            {
                var generic = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
                yield return method.Module.ResolveMethod(BitConverter.ToInt32(il, i), generic, method.IsGenericMethod ? method.GetGenericArguments() : null)!;
            }

            i += opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
