using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HandleGen.Generator.Common;
using HandleGen.Generator.Spec;

namespace HandleGen.Generator.Model;

/// <summary>
/// Turns an arch's named entry format into what the templates print: the _PAGE_ constants, the role
/// fragments and the protections, each value spelt with the names of the bits it sets.
/// </summary>
internal sealed class EntryNames
{
    private readonly ArchSpec arch;

    public EntryNames(ArchSpec arch)
    {
        this.arch = arch;
    }

    private string Suffix => arch.EntryBits == 64 ? "UL" : "U";

    /// <summary>A value as a hex literal of the entry type.</summary>
    public string Literal(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture) + Suffix;

    public EquatableArray<EntryBitModel> Bits() =>
        arch.Bits.Select(b => new EntryBitModel
        {
            Name = b.Name,
            Value = b.Width == 1 ? "1" + Suffix + " << " + Invariant(b.Shift) : Literal(b.Mask >> b.Shift) + " << " + Invariant(b.Shift),
            Where = b.Width == 1 ? "bit " + Invariant(b.Shift) : "bits " + Invariant(b.Shift) + " to " + Invariant(b.Shift + b.Width - 1),
        }).ToEquatableArray();

    /// <summary>The named protections; without "protections", PAGE_KERNEL from pageFlags as before.</summary>
    public EquatableArray<ProtectionModel> Protections()
    {
        var list = arch.Protections.Count > 0
            ? arch.Protections
            : new List<KeyValuePair<string, ulong>> { new("PAGE_KERNEL", arch.PageFlags ?? arch.TableFlags ?? 1UL << (arch.PresentBit ?? 0)) };
        return list.Select(p => new ProtectionModel { Name = p.Key, Value = Literal(p.Value), Parts = Parts(p.Value) }).ToEquatableArray();
    }

    /// <summary>
    /// A value spelt as the named bits it sets, in levels.json order, each bit counted once; what no name
    /// covers follows in hex. "0" for no bit.
    /// </summary>
    public string Parts(ulong value)
    {
        var parts = new List<string>();
        var covered = 0UL;
        foreach (var bit in arch.Bits)
        {
            if ((value & bit.Mask) == bit.Mask && (covered & bit.Mask) == 0)
            {
                parts.Add("_PAGE_" + bit.Name);
                covered |= bit.Mask;
            }
        }

        if ((value & ~covered) != 0)
            parts.Add(Literal(value & ~covered));
        return parts.Count == 0 ? "0" : string.Join(" | ", parts);
    }

    /// <summary>The present bits as one operand: a name, or names joined by '|' in parentheses.</summary>
    public string PresentMask() =>
        arch.Roles is { } roles ? Operand(roles.Present) : "_PAGE_PRESENT";

    public EntryRolesModel Roles()
    {
        var roles = arch.Roles ?? new EntryRoles();
        return new EntryRolesModel
        {
            Write = Role(roles.Write),
            Readonly = roles.Readonly is { } ro ? Name(ro) : null,
            User = Role(roles.User),
            Young = Role(roles.Young),
            Dirty = Role(roles.Dirty),
            Exec = Role(roles.Exec),
            Global = Role(roles.Global),
            LeafMask = roles.Leaf.Count > 0 ? Operand(roles.Leaf) : null,
            LeafValue = roles.LeafValue is { } value ? Literal(value) : null,
            LeafSingleBit = roles.Leaf.Count == 1 && roles.Leaf[0].Width == 1,
            ModifyAlsoKeeps = roles.ModifyKeeps.Count > 0 ? string.Join(" | ", roles.ModifyKeeps.Select(Name)) : null,
        };
    }

    private static string Operand(List<EntryBit> bits) =>
        bits.Count == 1 ? Name(bits[0]) : "(" + string.Join(" | ", bits.Select(Name)) + ")";

    private static RoleModel? Role(BitRole? role) => role is null ? null : new RoleModel { Mask = Name(role.Bit), Inverted = role.Inverted };

    private static string Name(EntryBit bit) => "_PAGE_" + bit.Name;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
