using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HandleGen.Generator.Diagnostics;

namespace HandleGen.Generator.Spec;

internal sealed partial class SpecReader
{
    /// <summary>
    /// Reads an arch's named entry format: "bits", "roles", "levelTableFlags", "leafLevels" and "protections".
    /// Every reference to a bit is checked against "bits"; every fault is reported where it is written.
    /// </summary>
    private sealed class EntryFormatReader
    {
        private static readonly string[] RoleKeys = { "present", "write", "readonly", "user", "young", "dirty", "exec", "global", "leaf", "modifyKeeps" };
        private static readonly string[] BitKeys = { "bit", "width" };
        private static readonly string[] LeafFieldKeys = { "field", "value" };
        private static readonly Regex BitName = new("^[A-Z][A-Z0-9_]*$");
        private static readonly Regex ProtectionName = new("^PAGE_[A-Z0-9_]+$");

        // Names the generated API already uses for something else.
        private static readonly string[] ReservedBitNames = { "TABLE", "PRESENT_MASK" };
        private static readonly string[] ReservedProtections = { "PAGE_SHIFT", "PAGE_SIZE", "PAGE_MASK" };

        private readonly SpecReader reader;
        private readonly ArchSpec arch;
        private readonly string where;
        private readonly ulong pfnMask;
        private readonly string pfnField;

        public EntryFormatReader(SpecReader reader, ArchSpec arch, string where, ulong pfnMask, string pfnField)
        {
            this.reader = reader;
            this.arch = arch;
            this.where = where;
            this.pfnMask = pfnMask;
            this.pfnField = pfnField;
        }

        /// <summary>The bits that make an entry present: roles.present, or else presentBit.</summary>
        public ulong PresentMask => arch.Roles is { } roles
            ? roles.Present.Aggregate(0UL, (m, b) => m | b.Mask)
            : 1UL << (arch.PresentBit ?? 0);

        public void Read(Dictionary<string, JsonMember> keys)
        {
            var errorsBefore = reader.ErrorCount;
            if (keys.TryGetValue("bits", out var bits))
                ReadBits(bits);
            if (reader.ErrorCount != errorsBefore)
                return;

            if (keys.TryGetValue("roles", out var roles))
                ReadRoles(roles, keys);
            if (keys.TryGetValue("leafLevels", out var leafLevels))
                ReadLeafLevels(leafLevels);
            if (keys.TryGetValue("levelTableFlags", out var levelTableFlags))
                ReadLevelTableFlags(levelTableFlags);
            if (keys.TryGetValue("protections", out var protections))
                ReadProtections(protections, keys);
            if (keys.TryGetValue("contiguous", out var contiguous))
                ReadContiguous(contiguous);
        }

        /// <summary>
        /// "contiguous": the hint bit and, for pte and pmd, how many entries one block joins (arm64 4K: CONT, 16, 16).
        /// A run is a power of two of at least 2 that fits in one table.
        /// </summary>
        private void ReadContiguous(JsonMember member)
        {
            var key = where + ".contiguous";
            if (member.Value.Kind != JsonKind.Object)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, key, "an object such as { \"bit\": \"CONT\", \"pte\": 16, \"pmd\": 16 }", member.Value.Describe());
                return;
            }

            var keys = reader.ReadKeys(member.Value, "\"" + key + "\"", new[] { "bit", "pte", "pmd" });
            if (!keys.TryGetValue("bit", out var bitMember))
            {
                FaultAtName(member, "contiguous needs \"bit\", the name of the contiguous hint bit in \"bits\"");
                return;
            }

            if (reader.ReadString(bitMember, key + ".bit") is not { } name || Lookup(bitMember.Value, key + ".bit", name) is not { } bit)
                return;
            if (bit.Width != 1)
            {
                Fault(bitMember.Value, "contiguous.bit " + name + " is a field; the contiguous hint is one bit");
                return;
            }

            arch.ContiguousBit = bit;
            foreach (var level in keys.Values.Where(k => k.Name != "bit"))
            {
                var index = LevelNames.IndexOf(level.Name);
                if (reader.ReadInt(level, key + "." + level.Name, 2, 1 << arch.Widths[index]) is not { } run)
                    continue;
                if ((run & (run - 1)) != 0)
                    Fault(level.Value, Invariant($"contiguous.{level.Name} {run} is not a power of two; a block is a naturally aligned run of entries"));
                else
                    arch.ContiguousRuns[index] = run;
            }
        }

        /// <summary>Table flags must be present (checked by the caller) and must not read as a leaf where leaves may be.</summary>
        public void CheckTableFlags(JsonMember? tableFlags, JsonMember? kernelTableFlags)
        {
            if (arch.LeafLevels.Any(l => l))
            {
                CheckNotLeaf("tableFlags", arch.TableFlags, tableFlags);
                CheckNotLeaf("kernelTableFlags", arch.KernelTableFlags, kernelTableFlags);
            }

            void CheckNotLeaf(string key, ulong? flags, JsonMember? member)
            {
                if (flags is { } value && member is not null && IsLeaf(value))
                    Fault(member.Value, Invariant($"{key} 0x{value:x} carries the leaf marker of roles.leaf, so a table entry would read as a leaf"));
            }
        }

        private void ReadBits(JsonMember member)
        {
            if (member.Value.Kind != JsonKind.Object)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, where + ".bits", "an object of bit names, such as { \"PRESENT\": 0, \"RW\": 1 }", member.Value.Describe());
                return;
            }

            foreach (var bit in reader.UniqueMembers(member.Value, "\"" + where + ".bits\""))
            {
                var key = where + ".bits." + bit.Name;

                if (!BitName.IsMatch(bit.Name) || ReservedBitNames.Contains(bit.Name))
                {
                    FaultAtName(bit, "the bit name \"" + bit.Name + "\" must be upper case letters, digits and '_', starting with a letter, and not "
                        + string.Join(" or ", ReservedBitNames) + " (the generated constant is _PAGE_" + bit.Name + ")");
                    continue;
                }

                int? shift;
                var width = 1;
                if (bit.Value.Kind == JsonKind.Object)
                {
                    var keys = reader.ReadKeys(bit.Value, "\"" + key + "\"", BitKeys);
                    shift = reader.Required(keys, "bit", bit, "\"" + key + "\"", "the field's lowest bit") is { } b ? reader.ReadInt(b, key + ".bit", 0, arch.EntryBits - 1) : null;
                    if (reader.Required(keys, "width", bit, "\"" + key + "\"", "how many bits the field has") is { } w && reader.ReadInt(w, key + ".width", 1, arch.EntryBits) is { } wv)
                        width = wv;
                    else
                        shift = null;
                }
                else
                {
                    shift = reader.ReadInt(bit, key, 0, arch.EntryBits - 1);
                }

                if (shift is not { } s)
                    continue;
                if (s + width > arch.EntryBits)
                {
                    Fault(bit.Value, Invariant($"the field {bit.Name} (bits {s} to {s + width - 1}) runs past the {arch.EntryBits}-bit entry"));
                    continue;
                }

                var entryBit = new EntryBit(bit.Name, s, width);
                if ((entryBit.Mask & pfnMask) != 0)
                {
                    Fault(bit.Value, "the bit " + bit.Name + " lies inside the PFN field (" + pfnField + "); named bits are flags outside it");
                    continue;
                }

                arch.Bits.Add(entryBit);
            }
        }

        private void ReadRoles(JsonMember member, Dictionary<string, JsonMember> archKeys)
        {
            if (member.Value.Kind != JsonKind.Object)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, where + ".roles", "an object such as { \"present\": [\"PRESENT\"], \"write\": \"RW\" }", member.Value.Describe());
                return;
            }

            var keys = reader.ReadKeys(member.Value, "\"" + where + ".roles\"", RoleKeys);
            var roles = new EntryRoles();
            var present = reader.Required(keys, "present", member, "\"" + where + ".roles\"", "the bits of which any one makes an entry present, such as [\"PRESENT\"]");
            if (present is not null)
                roles.Present.AddRange(ReadBitList(present, where + ".roles.present"));
            if (present is not null && roles.Present.Count == 0 && present.Value.Kind == JsonKind.Array)
                Fault(present.Value, "roles.present names no bit; an entry must have a way to be present");
            if (archKeys.TryGetValue("presentBit", out var presentBit))
                Fault(presentBit.Value, "presentBit and roles.present both say what makes an entry present; keep roles.present");

            roles.Write = Role(keys, "write");
            roles.User = Role(keys, "user");
            roles.Young = Role(keys, "young");
            roles.Dirty = Role(keys, "dirty");
            roles.Exec = Role(keys, "exec");
            roles.Global = Role(keys, "global");
            if (keys.TryGetValue("readonly", out var readOnly) && Role(keys, "readonly") is { } ro)
            {
                if (ro.Inverted)
                    Fault(readOnly.Value, "roles.readonly names the bit set in a read-only entry; write it without '!'");
                else if (roles.Write is not { Inverted: false } || roles.Dirty is not { Inverted: false })
                    Fault(readOnly.Value, "roles.readonly pairs a hardware read-only bit with a software write bit and dirty bit (arm64's PTE_RDONLY with DBM); give roles.write and roles.dirty as set bits, or express write as \"!" + ro.Bit.Name + "\" and drop readonly");
                else
                    roles.Readonly = ro.Bit;
            }

            if (keys.TryGetValue("leaf", out var leaf))
                ReadLeaf(leaf, roles);
            if (keys.TryGetValue("modifyKeeps", out var modifyKeeps))
                roles.ModifyKeeps.AddRange(ReadBitList(modifyKeeps, where + ".roles.modifyKeeps"));
            arch.Roles = roles;
        }

        private BitRole? Role(Dictionary<string, JsonMember> keys, string role)
        {
            if (!keys.TryGetValue(role, out var member) || reader.ReadString(member, where + ".roles." + role) is not { } text)
                return null;
            var inverted = text.StartsWith("!", StringComparison.Ordinal);
            var bit = Lookup(member.Value, where + ".roles." + role, inverted ? text.Substring(1) : text);
            if (bit is null)
                return null;
            if (bit.Width != 1)
            {
                Fault(member.Value, "roles." + role + " names the " + bit.Width.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + "-bit field " + bit.Name + "; a role is one bit (only roles.leaf takes a field, as { \"field\": \"" + bit.Name + "\", \"value\": 1 })");
                return null;
            }

            return new BitRole(bit, inverted);
        }

        private void ReadLeaf(JsonMember member, EntryRoles roles)
        {
            var key = where + ".roles.leaf";
            if (member.Value.Kind == JsonKind.Object)
            {
                var keys = reader.ReadKeys(member.Value, "\"" + key + "\"", LeafFieldKeys);
                var field = reader.Required(keys, "field", member, "\"" + key + "\"", "the field that holds the descriptor type") is { } f && reader.ReadString(f, key + ".field") is { } name
                    ? Lookup(f.Value, key + ".field", name)
                    : null;
                var value = reader.Required(keys, "value", member, "\"" + key + "\"", "the field's value in a leaf") is { } v ? reader.ReadFlags(v, key + ".value", arch.EntryBits) : null;
                if (field is null || value is not { } raw)
                    return;
                if (field.Width < 64 && raw >> field.Width != 0)
                {
                    Fault(keys["value"].Value, Invariant($"the leaf value 0x{raw:x} does not fit the {field.Width}-bit field {field.Name}"));
                    return;
                }

                roles.Leaf.Add(field);
                roles.LeafValue = raw << field.Shift;
                return;
            }

            var bits = ReadBitList(member, key);
            if (bits.Any(b => b.Width != 1))
                Fault(member.Value, "roles.leaf names a multi-bit field; give a field with its value, as { \"field\": \"TYPE\", \"value\": 1 }");
            else
                roles.Leaf.AddRange(bits);
        }

        private void ReadLevelTableFlags(JsonMember member)
        {
            var key = where + ".levelTableFlags";
            if (member.Value.Kind != JsonKind.Object)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, key, "an object of levels and flags, such as { \"pud\": \"0x1\" }", member.Value.Describe());
                return;
            }

            var keys = reader.ReadKeys(member.Value, "\"" + key + "\"", LevelNames.All.Take(4).ToArray());
            foreach (var level in keys.Values)
            {
                var index = LevelNames.IndexOf(level.Name);
                if (reader.ReadFlags(level, key + "." + level.Name, arch.EntryBits) is not { } flags)
                    continue;
                if (arch.Widths[index + 1] == 0)
                    Fault(level.Value, level.Name + "_populate stores nothing: " + LevelNames.All[index + 1] + " is folded, so the table flags of this entry are those of the first unfolded level below");
                else if ((flags & pfnMask) != 0)
                    Fault(level.Value, Invariant($"levelTableFlags.{level.Name} 0x{flags:x} sets bits of the PFN field ({pfnField})"));
                else if ((flags & PresentMask) == 0)
                    Fault(level.Value, Invariant($"levelTableFlags.{level.Name} 0x{flags:x} has no present bit; a table entry must be present to be walked"));
                else if (IsLeaf(flags) && arch.LeafLevels.Any(l => l))
                    Fault(level.Value, Invariant($"levelTableFlags.{level.Name} 0x{flags:x} carries the leaf marker of roles.leaf, so a table entry would read as a leaf"));
                else
                    arch.LevelTableFlags[index] = flags;
            }
        }

        private void ReadLeafLevels(JsonMember member)
        {
            var key = where + ".leafLevels";
            if (member.Value.Kind != JsonKind.Array)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, key, "an array of levels, such as [\"pud\", \"pmd\"]", member.Value.Describe());
                return;
            }

            if (arch.Roles is not { Leaf.Count: > 0 })
            {
                Fault(member.Value, "leafLevels needs roles.leaf, the marker that tells a leaf from a table entry");
                return;
            }

            foreach (var item in member.Value.Items)
            {
                var index = item.Kind == JsonKind.String ? LevelNames.IndexOf(item.Text) : -1;
                if (index < 0 || index == 4)
                    reader.Report(DiagnosticDescriptors.OutOfRange, item, key, item.Describe(), "\"pgd\", \"p4d\", \"pud\" or \"pmd\" (a pte always maps a page)");
                else if (arch.Widths[index + 1] == 0)
                    Fault(item, LevelNames.All[index + 1] + " is folded into " + item.Text + ", so a leaf there is the " + LevelNames.All[index + 1]
                        + " level's leaf: name the lowest level that shares the entry");
                else
                    arch.LeafLevels[index] = true;
            }
        }

        private void ReadProtections(JsonMember member, Dictionary<string, JsonMember> archKeys)
        {
            var key = where + ".protections";
            if (member.Value.Kind != JsonKind.Object)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, key, "an object of protection names and flags, such as { \"PAGE_KERNEL\": \"0x63\" }", member.Value.Describe());
                return;
            }

            if (archKeys.TryGetValue("pageFlags", out var pageFlags))
                Fault(pageFlags.Value, "pageFlags and protections both give PAGE_KERNEL; keep protections.PAGE_KERNEL");

            foreach (var protection in reader.UniqueMembers(member.Value, "\"" + key + "\""))
            {
                var name = key + "." + protection.Name;

                if (!ProtectionName.IsMatch(protection.Name) || ReservedProtections.Contains(protection.Name))
                {
                    FaultAtName(protection, "the protection name \"" + protection.Name + "\" must start with PAGE_ and go on in upper case letters, digits and '_', and not be "
                        + string.Join(", ", ReservedProtections));
                    continue;
                }

                ulong? value = protection.Value.Kind == JsonKind.Array
                    ? ReadBitList(protection, name).Aggregate(0UL, (m, b) => m | b.Mask)
                    : reader.ReadFlags(protection, name, arch.EntryBits);
                if (value is not { } v)
                    continue;
                if ((v & pfnMask) != 0)
                    Fault(protection.Value, Invariant($"{protection.Name} 0x{v:x} sets bits of the PFN field ({pfnField})"));
                else
                    arch.Protections.Add(new KeyValuePair<string, ulong>(protection.Name, v));
            }

            if (member.Value.Members.All(p => p.Name != "PAGE_KERNEL"))
                FaultAtName(member, "protections has no PAGE_KERNEL; every arch has one, and generic code maps with it");
        }

        private List<EntryBit> ReadBitList(JsonMember member, string key)
        {
            var found = new List<EntryBit>();
            var items = member.Value.Kind == JsonKind.Array ? member.Value.Items : member.Value.Kind == JsonKind.String ? new List<JsonNode> { member.Value } : null;
            if (items is null)
            {
                reader.Report(DiagnosticDescriptors.WrongType, member.Value, key, "a bit name or an array of bit names", member.Value.Describe());
                return found;
            }

            foreach (var item in items)
            {
                if (item.Kind != JsonKind.String)
                    reader.Report(DiagnosticDescriptors.WrongType, item, key, "a bit name (a string)", item.Describe());
                else if (Lookup(item, key, item.Text) is { } bit)
                    found.Add(bit);
            }

            return found;
        }

        private EntryBit? Lookup(JsonNode at, string key, string name)
        {
            var bit = arch.Bits.FirstOrDefault(b => b.Name == name);
            if (bit is not null)
                return bit;
            var defined = arch.Bits.Count == 0 ? "none (add a \"bits\" object)" : string.Join(", ", arch.Bits.Select(b => b.Name));
            reader.Report(DiagnosticDescriptors.UnknownEntryBit, at, arch.Name, key, name, DidYouMean(name, arch.Bits.Select(b => b.Name)), defined);
            return null;
        }

        private bool IsLeaf(ulong value)
        {
            if (arch.Roles is not { } roles || roles.Leaf.Count == 0)
                return false;
            var mask = roles.Leaf.Aggregate(0UL, (m, b) => m | b.Mask);
            return roles.LeafValue is { } leafValue ? (value & mask) == leafValue : (value & mask) != 0;
        }

        private void Fault(JsonNode at, string message) => reader.Report(DiagnosticDescriptors.BadNamedFormat, at, arch.Name, message);

        private void FaultAtName(JsonMember at, string message) =>
            reader.Report(DiagnosticDescriptors.BadNamedFormat, at.NameStart, at.NameEnd - at.NameStart, arch.Name, message);
    }
}
