using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace HandleGen.Generator.Common;

/// <summary>
/// An immutable array compared by its elements, so that pipeline models holding lists stay
/// value-equal between runs and the incremental driver can cache them. A class, not a struct: the
/// driver's generic node tables over a reference type share code the compiler already has, while each
/// struct type argument makes a compiler process that is new for each build JIT its own copies of them.
/// </summary>
internal sealed class EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> items;

    public EquatableArray(IEnumerable<T> items) => this.items = items.ToImmutableArray();

    public int Count => items.Length;

    public T this[int index] => items[index];

    public bool Equals(EquatableArray<T>? other) => other is not null && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in items)
            hash = unchecked(hash * 31 + (item?.GetHashCode() ?? 0));
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : IEquatable<T> => new(items);
}
