using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HandleGen.Tests.OwnMemory.Corlibs;

/// <summary>
/// What a compiled method does to memory, read from its IL (ECMA-335 III): whether it accesses memory under the
/// <c>volatile.</c> prefix (0xFE 0x13 before an ldind, stind, ldfld or stfld), calls System.Threading.Volatile or
/// Interlocked, following the calls it makes into methods of the same assembly (the generated private helpers).
/// </summary>
internal sealed class AccessorIl
{
    private readonly PEReader pe;
    private readonly MetadataReader md;

    public AccessorIl(ImmutableArray<byte> image)
    {
        pe = new PEReader(image);
        md = pe.GetMetadataReader();
    }

    /// <summary>The calls and volatile accesses of a method of type <paramref name="type"/> and the methods of this assembly it calls.</summary>
    public IReadOnlyList<string> Effects(string type, string method)
    {
        var handle = Find(type, method);
        var effects = new List<string>();
        Walk(handle, effects, depth: 0);
        return effects;
    }

    /// <summary>True when the method carries MethodImplOptions.NoInlining in its flags (ECMA-335 II.23.1.11).</summary>
    public bool NeverInlined(string type, string method) =>
        (md.GetMethodDefinition(Find(type, method)).ImplAttributes & System.Reflection.MethodImplAttributes.NoInlining) != 0;

    private MethodDefinitionHandle Find(string type, string method) => md.MethodDefinitions.Single(h =>
        md.GetString(md.GetMethodDefinition(h).Name) == method && md.GetString(md.GetTypeDefinition(md.GetMethodDefinition(h).GetDeclaringType()).Name) == type);

    private void Walk(MethodDefinitionHandle handle, List<string> effects, int depth)
    {
        var body = pe.GetMethodBody(md.GetMethodDefinition(handle).RelativeVirtualAddress).GetILBytes()!;
        var afterVolatile = false;
        for (var i = 0; i < body.Length;)
        {
            int op = body[i++];
            if (op == 0xFE)
                op = 0xFE00 | body[i++];
            var size = OperandSize(op, body, i);
            if (afterVolatile && op is (>= 0x46 and <= 0x57) or 0xDF or 0x7B or 0x7D)
                effects.Add(op is 0x7B or (>= 0x46 and <= 0x50) ? "volatile load" : "volatile store");
            afterVolatile = op == 0xFE13;
            if (op is 0x28 or 0x6F)
            {
                var token = MetadataTokens.EntityHandle(System.BitConverter.ToInt32(body, i));
                if (token.Kind == HandleKind.MethodDefinition)
                {
                    var callee = (MethodDefinitionHandle)token;
                    var def = md.GetMethodDefinition(callee);
                    effects.Add("call " + md.GetString(md.GetTypeDefinition(def.GetDeclaringType()).Name) + "." + md.GetString(def.Name));
                    if (depth < 3)
                        Walk(callee, effects, depth + 1);
                }
                else if (token.Kind == HandleKind.MemberReference)
                {
                    var reference = md.GetMemberReference((MemberReferenceHandle)token);
                    var parent = reference.Parent.Kind == HandleKind.TypeReference ? md.GetString(md.GetTypeReference((TypeReferenceHandle)reference.Parent).Name) : "?";
                    effects.Add("call " + parent + "." + md.GetString(reference.Name));
                }
            }

            i += size;
        }
    }

    /// <summary>The operand bytes of an opcode (two-byte opcodes as 0xFEnn), by ECMA-335 Partition III.</summary>
    private static int OperandSize(int op, byte[] body, int at) => op switch
    {
        >= 0x0E and <= 0x13 or 0x1F or (>= 0x2B and <= 0x37) or 0xDE or 0xFE12 or 0xFE19 => 1,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2,
        0x21 or 0x23 => 8,
        0x45 => 4 + 4 * System.BitConverter.ToInt32(body, at),
        0x20 or 0x22 or 0x27 or 0x28 or 0x29 or (>= 0x38 and <= 0x44) or (>= 0x6F and <= 0x75) or 0x79 or (>= 0x7B and <= 0x81)
            or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD
            or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => 4,
        _ => 0,
    };
}
