// Drives the paging module: the output must be the same before and after the conversion, in either form.
using System;
using HandleGen.Runtime;

using var memory = new PhysicalMemory(8UL << 20);
var allocator = new PageTableAllocator(memory);
Paging.init(allocator);
Paging.map(0x5fe000, 0xa00000, 0x4000, 0x63);
Paging.map_run(0x400000, 0x2000000, 8, 0x63);
Paging.map(0xffffc000, 0xc000000, 0x4000, 0x63);
foreach (var va in new ulong[] { 0x5ff123, 0x600456, 0x403abc, 0xfffffabc, 0x10000000 })
    Console.WriteLine(Paging.translate(va, out var pa) ? $"0x{va:x} -> 0x{pa:x}" : $"0x{va:x} not mapped");
Console.WriteLine($"mapped {Paging.count_mapped()} tables {allocator.LiveTotal}");
Console.WriteLine($"unmapped {Paging.unmap(0x400000, 0x8000)}");
Paging.free_empty_pte_tables(0x400000);
Console.WriteLine($"mapped {Paging.count_mapped()} tables {allocator.LiveTotal}");
