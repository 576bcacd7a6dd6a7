using System;
using System.Globalization;
using HandleGen.Runtime;
using Hypervisor;

// A host table and a guest's EPT table side by side, both generated from levels.json in one build.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

using var memory = new PhysicalMemory(32UL << 20);
var allocator = new PageTableAllocator(memory);
var host = new HostTables(allocator);
var guest = new GuestEpt(allocator);

// Guest RAM: four 4 KiB pages at host physical 0x1000000, and 2 MiB at host physical 0x1200000.
const ulong ramHpa = 0x100_0000, ram2mHpa = 0x120_0000, ram2mGpa = 0x20_0000;
const ulong hostView = 0x7f00_0000_0000; // where the hypervisor maps the guest's RAM for itself
for (ulong page = 0; page < 4; page++)
{
    guest.MapPage(page << 12, ramHpa + (page << 12));
    host.MapPage(hostView + (page << 12), ramHpa + (page << 12));
}

guest.Map2M(ram2mGpa, ram2mHpa);

Console.WriteLine($"HandleGen Hypervisor: host tables {PageTables.Pgtable.HANDLEGEN_ARCH} ({PageTables.Pgtable.HANDLEGEN_FORM} form), guest tables {PageTables.Ept.Pgtable.HANDLEGEN_ARCH} ({PageTables.Ept.Pgtable.HANDLEGEN_FORM} form)");
Console.WriteLine($"EPT pointer: top table at host physical {Hex(guest.RootPhysical)}");
Console.WriteLine();
Console.WriteLine("Guest physical -> host physical (EPT walk), and the hypervisor's own view of the same page (host walk):");
foreach (var gpa in new ulong[] { 0x0, 0x1abc, 0x3fff, 0x4000, 0x20_0000, 0x3f_fff0, 0x40_0000 })
{
    var line = $"  gpa {Hex(gpa),-10}";
    if (guest.Translate(gpa) is not { } hit)
    {
        Console.WriteLine(line + " -> EPT violation (not mapped)");
        continue;
    }

    line += $" -> hpa {Hex(hit.Hpa),-10} ({hit.Level} entry)";
    if (gpa < 0x4000)
        line += $"   host va {Hex(hostView + gpa)} -> hpa {Hex(host.Translate(hostView + gpa) ?? 0)}";
    Console.WriteLine(line);
}

Console.WriteLine();
Console.WriteLine($"Tables live: {allocator.LiveTotal} ({allocator.BytesInUse / 1024} KiB)");
