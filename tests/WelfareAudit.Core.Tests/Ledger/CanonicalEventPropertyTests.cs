using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using WelfareAudit.Core.Ledger;

namespace WelfareAudit.Core.Tests.Ledger;

/// <summary>
/// Property-based tests of the canonical encoding (docs/ledger-format.md §5) over arbitrary headers and
/// field maps of well-formed Unicode text (the only text that reaches it: ids and names are ASCII, and
/// <c>TextRules</c> refuses lone surrogates): it is deterministic, independent of insertion order, and
/// injective — shown by an independent decoder written from the document, which gives every input
/// back from its bytes, and by perturbed pairs whose encodings differ whenever the inputs differ.
/// </summary>
public class CanonicalEventPropertyTests
{
    public sealed record Input(EventHeader Header, KeyValuePair<string, string>[] Clear, KeyValuePair<string, byte[]>[] Commitments)
    {
        public Dictionary<string, string> ClearMap(bool reversed = false) => new(reversed ? Clear.Reverse() : Clear);

        public Dictionary<string, byte[]> CommitmentMap(bool reversed = false) => new(reversed ? Commitments.Reverse() : Commitments);

        public byte[] Encode(bool reversed = false) => CanonicalEvent.Encode(Header, ClearMap(reversed), CommitmentMap(reversed));

        public override string ToString() =>
            $"{Header} clear=[{string.Join(", ", Clear.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"))}] commitments=[{string.Join(", ", Commitments.Select(p => Escape(p.Key)))}]";

        private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and < (char)127 ? c.ToString() : $"\\u{(int)c:x4}"));
    }

    private static Config Runs(int count) => Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true);

    [Fact]
    public void Encode_IsDeterministic()
    {
        Check.One(Runs(500), Prop.ForAll(Inputs().ToArbitrary(), input => input.Encode().AsSpan().SequenceEqual(input.Encode())));
    }

    [Fact]
    public void Encode_DoesNotDependOnInsertionOrder()
    {
        Check.One(Runs(500), Prop.ForAll(Inputs().ToArbitrary(), input => input.Encode().AsSpan().SequenceEqual(input.Encode(reversed: true))));
    }

    [Fact]
    public void Decode_OfEncode_GivesTheInputBack()
    {
        Check.One(Runs(1_000), Prop.ForAll(Inputs().ToArbitrary(), input =>
        {
            var decoded = Decode(input.Encode());
            return decoded.Header == input.Header
                && SameMap(decoded.ClearMap(), input.ClearMap(), (a, b) => a == b)
                && SameMap(decoded.CommitmentMap(), input.CommitmentMap(), (a, b) => a.AsSpan().SequenceEqual(b));
        }));
    }

    [Fact]
    public void DifferentInputs_NeverEncodeEqual()
    {
        // The second input is a small edit of the first (moving text across a name/value boundary,
        // moving a field between the clear and committed maps, …), the likeliest way to collide.
        var pairs = Inputs().SelectMany(a => Perturbed(a).Select(b => (a, b)));
        Check.One(Runs(2_000), Prop.ForAll(pairs.ToArbitrary(), pair =>
        {
            var (a, b) = pair;
            return !a.Encode().AsSpan().SequenceEqual(b.Encode()) || SameInput(a, b);
        }));
    }

    // ---- An independent decoder of docs/ledger-format.md §5 ------------------------------------------

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// "WAEV" | u8 1 | str ledgerId | u64 sequence | str type | str recordedAt | str actor | u32 nClear | (str name | str value)*
    /// | u32 nCommit | (str name | 32 bytes)*; str = u32 length | UTF-8; big-endian; names in strictly ascending ordinal order.
    /// Throws on anything else, trailing bytes included.
    /// </summary>
    public static Input Decode(byte[] bytes)
    {
        var at = 0;
        ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || at + n > bytes.Length)
            {
                throw new FormatException("truncated");
            }
            var span = bytes.AsSpan(at, n);
            at += n;
            return span;
        }
        uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
        string Str() => StrictUtf8.GetString(Take(checked((int)U32())));

        if (!Take(4).SequenceEqual("WAEV"u8) || Take(1)[0] != 1)
        {
            throw new FormatException("magic or version");
        }
        var ledgerId = Str();
        var sequence = checked((long)BinaryPrimitives.ReadUInt64BigEndian(Take(8)));
        var type = Str();
        var recordedAt = Timestamps.Parse(Str());
        var actor = Str();

        var clear = new List<KeyValuePair<string, string>>();
        for (var n = U32(); n > 0; n--)
        {
            var name = Str();
            if (clear.Count > 0 && string.CompareOrdinal(clear[^1].Key, name) >= 0)
            {
                throw new FormatException("clear names out of order");
            }
            clear.Add(new(name, Str()));
        }
        var commitments = new List<KeyValuePair<string, byte[]>>();
        for (var n = U32(); n > 0; n--)
        {
            var name = Str();
            if (commitments.Count > 0 && string.CompareOrdinal(commitments[^1].Key, name) >= 0)
            {
                throw new FormatException("commitment names out of order");
            }
            commitments.Add(new(name, Take(32).ToArray()));
        }
        if (at != bytes.Length)
        {
            throw new FormatException("trailing bytes");
        }
        return new Input(new EventHeader(ledgerId, sequence, type, recordedAt, actor), [.. clear], [.. commitments]);
    }

    // ---- Generators ---------------------------------------------------------------------------------

    /// <summary>Well-formed text, weighted towards the bytes that matter to a length-prefixed format.</summary>
    private static Gen<string> Text()
    {
        var rune = Gen.Frequency(
            (6, Gen.Elements('a', 'b', 'c', 'A', '0', '1', '-', '_', '.', ' ', '|', ':', '=').Select(c => (int)c)),
            (2, Gen.Choose(0, 0x7F)),
            (2, Gen.Choose(0x80, 0x7FF)),
            (2, Gen.Choose(0x800, 0xFFFF).Where(c => c is < 0xD800 or > 0xDFFF)),
            (1, Gen.Choose(0x10000, 0x10FFFF)),
            (1, Gen.Elements(0x0, 0x4, 0x20, 0xFEFF, 0x202E, 0x200B, 0xFFFD)));
        return Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(rune, n)).Select(runes => string.Concat(runes.Select(r => new Rune(r).ToString())));
    }

    private static Gen<DateTimeOffset> Times() =>
        Gen.Zip(Gen.Zip(Gen.Choose(1, 9998), Gen.Choose(0, int.MaxValue)), Gen.Choose(-14 * 60, 14 * 60))
            .Select(t =>
            {
                var ((year, fraction), offsetMinutes) = t;
                var utc = new DateTimeOffset(year, 1, 2, 0, 0, 0, TimeSpan.Zero).AddTicks((long)fraction * 146 % (TimeSpan.TicksPerDay * 360));
                return utc.ToOffset(TimeSpan.FromMinutes(offsetMinutes));
            });

    private static Gen<long> Sequences() =>
        Gen.OneOf(Gen.Choose(0, 1_000).Select(i => (long)i), ArbMap.Default.GeneratorFor<long>().Select(l => l & long.MaxValue), Gen.Constant(long.MaxValue));

    private static Gen<byte[]> Commitment() => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32);

    public static Gen<Input> Inputs()
    {
        var header = Gen.Zip(Gen.Zip(Text(), Sequences()), Gen.Zip(Text(), Gen.Zip(Times(), Text())))
            .Select(h => new EventHeader(h.Item1.Item1, h.Item1.Item2, h.Item2.Item1, h.Item2.Item2.Item1, h.Item2.Item2.Item2));
        var clear = Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Zip(Text(), Text()), n))
            .Select(p => p.DistinctBy(x => x.Item1, StringComparer.Ordinal).Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToArray());
        var commitments = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Text(), Commitment()), n))
            .Select(p => p.DistinctBy(x => x.Item1, StringComparer.Ordinal).Select(x => new KeyValuePair<string, byte[]>(x.Item1, x.Item2)).ToArray());
        return Gen.Zip(header, Gen.Zip(clear, commitments)).Select(t => new Input(t.Item1, t.Item2.Item1, t.Item2.Item2));
    }

    /// <summary>One small edit of an input; edits that would not apply give the input unchanged.</summary>
    private static Gen<Input> Perturbed(Input a)
    {
        var h = a.Header;
        var edits = new List<Input>
        {
            // Text moved across the boundaries of the header strings.
            a with { Header = h with { LedgerId = h.LedgerId + FirstRune(h.Type), Type = DropFirstRune(h.Type) } },
            a with { Header = h with { Type = h.Type + FirstRune(h.Actor), Actor = DropFirstRune(h.Actor) } },
            a with { Header = h with { Sequence = h.Sequence ^ 1 } },
            a with { Header = h with { RecordedAt = h.RecordedAt.AddTicks(1) } },
            a with { Header = h with { RecordedAt = h.RecordedAt.ToOffset(TimeSpan.Zero) } }, // the same instant: equal inputs
            a with { Header = h with { Actor = h.Actor + "\0" } },
            // A field added, removed, renamed, or moved between the maps.
            a with { Clear = [.. a.Clear, new("", "")] },
            a with { Clear = a.Clear.Skip(1).ToArray() },
            a with { Commitments = a.Commitments.Skip(1).ToArray() },
        };
        if (a.Clear.Length > 0)
        {
            var first = a.Clear[0];
            // "ab" = "c" versus "a" = "bc", and a value moved into the next name.
            edits.Add(a with { Clear = [new(DropLastRune(first.Key), LastRune(first.Key) + first.Value), .. a.Clear.Skip(1)] });
            edits.Add(a with { Clear = [new(first.Key, first.Value + "x"), .. a.Clear.Skip(1)] });
            if (a.Clear.Length > 1)
            {
                var second = a.Clear[1];
                edits.Add(a with { Clear = [new(first.Key, first.Value + second.Key), new(second.Value, ""), .. a.Clear.Skip(2)] });
                edits.Add(a with { Clear = [new(first.Key, second.Value), new(second.Key, first.Value), .. a.Clear.Skip(2)] });
            }
            if (a.Commitments.All(c => c.Key != first.Key))
            {
                edits.Add(a with { Clear = a.Clear.Skip(1).ToArray(), Commitments = [.. a.Commitments, new(first.Key, new byte[32])] });
            }
        }
        if (a.Commitments.Length > 0)
        {
            var c = a.Commitments[0];
            var flipped = (byte[])c.Value.Clone();
            flipped[31] ^= 1;
            edits.Add(a with { Commitments = [new(c.Key, flipped), .. a.Commitments.Skip(1)] });
        }
        return Gen.Elements(edits.Where(e => e.Clear.DistinctBy(p => p.Key, StringComparer.Ordinal).Count() == e.Clear.Length).ToArray());
    }

    private static string FirstRune(string s) => s.Length == 0 ? "" : Rune.GetRuneAt(s, 0).ToString();

    private static string DropFirstRune(string s) => s[FirstRune(s).Length..];

    private static string LastRune(string s) => s.Length == 0 ? "" : s.EnumerateRunes().Last().ToString();

    private static string DropLastRune(string s) => s[..^LastRune(s).Length];

    private static bool SameInput(Input a, Input b) =>
        a.Header == b.Header
        && SameMap(a.ClearMap(), b.ClearMap(), (x, y) => x == y)
        && SameMap(a.CommitmentMap(), b.CommitmentMap(), (x, y) => x.AsSpan().SequenceEqual(y));

    private static bool SameMap<T>(Dictionary<string, T> a, Dictionary<string, T> b, Func<T, T, bool> equal) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && equal(p.Value, v));
}
