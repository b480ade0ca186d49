using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Http.Tests;

/// <summary>
/// Property-based tests of request parsing: whatever bytes arrive as a JSON body, reading it and
/// validating the draft either succeeds or refuses with <see cref="ValidationFailedException"/> or
/// <see cref="PayloadTooLargeException"/> (a 400 or a 413) — never another exception, which would be a
/// 500 — and a refusal names only fields of the contract, never text from the body.
/// </summary>
public partial class RequestParsingPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    private static readonly string ValidSearch = """
        {"clientRef":"C-1001","occurredAt":"2026-11-25T14:30:00Z",
         "crisis":{"dangerSuspected":"Disclosed a plan.","riskLevel":"high",
                   "contactAttempts":[{"channel":"missedAppointment","at":"2026-11-25T12:00:00Z"},{"channel":"phone","at":"2026-11-25T13:00:00+01:00"}]},
         "justification":"No answer.","scope":{"sources":["searchEngine","facebook"],"queries":["name town"]},
         "findings":"A post.","actionsTaken":"Called.","thirdPartyContacted":{"recipient":"Sibling","disclosed":"Concern."},
         "nextSessionAt":"2026-11-27T10:00:00Z"}
        """;

    /// <summary>Tokens that JSON parsers and our rules treat specially, spliced into valid bodies.</summary>
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-0", "1e309", "-1e309", "1.5", "9223372036854775808",
        "\"\"", "\"x\"", "\\u0000", "\\uD800", "\\uDC00", "\\uD83D\\uDE00", "\u202E", "\u200B", "\u2028", "\t", "\n", "\r", " ",
        "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-02-30T00:00:00Z\"", "\"2026-01-01T00:00:00+15:00\"",
        "\"clientRef\":", "\"crisis\":", "\"scope\":", "\"contactAttempts\":", "\"sources\":", "\"ClientRef\":", "\"$type\":", "\"$ref\":", "\"$id\":",
        "\"JaneDoe4711\":", "\"JaneDoe4711\"", "/**/", "//", "'", "NaN", "Infinity", "undefined",
    ];

    private static readonly byte[][] RawBytes = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0x00], [0xEF, 0xBB, 0xBF]];

    private static Config Runs(int count) => Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true);

    [Fact]
    public void ArbitraryBytes_ParseOrRefuse()
    {
        Check.One(Runs(1_000), Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => ParsesOrRefuses<CrisisSearchDraft>(bytes)));
    }

    [Fact]
    public void ArbitraryStrings_ParseOrRefuse()
    {
        Check.One(Runs(1_000), Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => ParsesOrRefuses<CrisisSearchDraft>(Encoding.UTF8.GetBytes(text ?? ""))));
    }

    [Fact]
    public void ValidSearch_IsAccepted()
    {
        Assert.Equal(Outcome.Accepted, Parse<CrisisSearchDraft>(Encoding.UTF8.GetBytes(ValidSearch)));
    }

    [Fact]
    public void MutatedValidSearch_ParsesOrRefuses()
    {
        var seen = new ConcurrentDictionary<Outcome, int>();

        Check.One(Runs(3_000), Prop.ForAll(Mutated(Encoding.UTF8.GetBytes(ValidSearch)).ToArbitrary(), bytes => Tally(seen, Parse<CrisisSearchDraft>(bytes))));

        // The generator is not degenerate: some edits keep the body valid, most break it.
        Assert.True(seen.ContainsKey(Outcome.Accepted) && seen.ContainsKey(Outcome.Refused), string.Join(", ", seen));
    }

    [Fact]
    public void GeneratedJsonOfTheContractsShape_ParsesOrRefuses()
    {
        var seen = new ConcurrentDictionary<Outcome, int>();
        Check.One(Runs(2_000), Prop.ForAll(JsonObjectText(["clientRef", "occurredAt", "crisis", "dangerSuspected", "riskLevel", "contactAttempts", "channel", "at",
            "justification", "scope", "sources", "queries", "findings", "actionsTaken", "thirdPartyContacted", "recipient", "disclosed", "nextSessionAt"]).ToArbitrary(),
            text => Tally(seen, Parse<CrisisSearchDraft>(Encoding.UTF8.GetBytes(text)))));

        Assert.True(seen.ContainsKey(Outcome.Refused) && seen.ContainsKey(Outcome.RefusedAfterParsing), string.Join(", ", seen));
    }

    [Fact]
    public void OtherBodies_ParseOrRefuse()
    {
        var nextSession = Mutated(Encoding.UTF8.GetBytes("""{"nextSessionAt":"2026-11-27T10:00:00Z"}"""));
        var discussion = Mutated(Encoding.UTF8.GetBytes("""{"discussedAt":"2026-11-25T14:50:00Z","note":"Talked.","clientResponse":"Fine."}"""));
        var amendment = Mutated(Encoding.UTF8.GetBytes("""{"field":"findings","value":"Older post.","reason":"Misread."}"""));

        Check.One(Runs(1_000), Prop.ForAll(nextSession.ToArbitrary(), ParsesOrRefuses<NextSessionDraft>));
        Check.One(Runs(1_000), Prop.ForAll(discussion.ToArbitrary(), ParsesOrRefuses<DiscussionDraft>));
        Check.One(Runs(1_000), Prop.ForAll(amendment.ToArbitrary(), ParsesOrRefuses<AmendmentDraft>));
    }

    public enum Outcome
    {
        Accepted,
        Refused,
        RefusedAfterParsing,
        TooLarge,
        NamedAForeignField,
    }

    private static bool Tally(ConcurrentDictionary<Outcome, int> seen, Outcome outcome)
    {
        seen.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        return outcome != Outcome.NamedAForeignField;
    }

    /// <summary>The property: success, or one of the two refusals, naming only contract fields.</summary>
    private static bool ParsesOrRefuses<T>(byte[] body) where T : class => Parse<T>(body) != Outcome.NamedAForeignField;

    /// <summary>Reads and validates; any exception other than the two refusals escapes and fails the property.</summary>
    private static Outcome Parse<T>(byte[] body) where T : class
    {
        var parsed = false;
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentType = "application/json";
        try
        {
            var (draft, _) = RequestBody.ReadAsync<T>(context.Request, default).GetAwaiter().GetResult();
            parsed = true;
            switch (draft)
            {
                case CrisisSearchDraft search:
                    CrisisSearchValidator.Validate(search, Now);
                    break;
                case NextSessionDraft next:
                    CrisisSearchValidator.ValidateNextSession("nextSessionAt", next.NextSessionAt, Now.AddHours(-1), Now);
                    break;
                case DiscussionDraft discussion:
                    var errors = new ValidationErrors();
                    CrisisSearchValidator.CheckPastTime(errors, "discussedAt", discussion.DiscussedAt, Now, required: true);
                    TextRules.Check(errors, "note", discussion.Note, 4000, required: false, multiline: true);
                    TextRules.Check(errors, "clientResponse", discussion.ClientResponse, 4000, required: false, multiline: true);
                    ThrowIfAny(errors);
                    break;
                case AmendmentDraft amendment:
                    var amendmentErrors = new ValidationErrors();
                    TextRules.CheckCode(amendmentErrors, "value", amendment.Value, 64, required: true);
                    TextRules.Check(amendmentErrors, "reason", amendment.Reason, 2000, required: true, multiline: true);
                    ThrowIfAny(amendmentErrors);
                    break;
            }
            return Outcome.Accepted;
        }
        catch (ValidationFailedException e)
        {
            var fields = e.Errors.ToDictionary().Keys;
            return fields.All(f => ContractField().IsMatch(f) && !f.Contains("JaneDoe", StringComparison.OrdinalIgnoreCase))
                ? parsed ? Outcome.RefusedAfterParsing : Outcome.Refused
                : Outcome.NamedAForeignField;
        }
        catch (PayloadTooLargeException)
        {
            return Outcome.TooLarge;
        }
    }

    private static void ThrowIfAny(ValidationErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
    }

    /// <summary>"$", or camelCase member names with array indexes, or a header name.</summary>
    [GeneratedRegex(@"^(\$|[a-z][A-Za-z]*(\[[0-9]+\])*(\.[a-z][A-Za-z]*(\[[0-9]+\])*)*)$")]
    private static partial Regex ContractField();

    /// <summary>A valid body after 1-4 random edits: cut, splice a token or raw bytes, delete, repeat a slice, flip a byte.</summary>
    private static Gen<byte[]> Mutated(byte[] valid)
    {
        var edit = Gen.OneOf(
            Gen.Choose(0, valid.Length).Select(at => (Func<byte[], byte[]>)(b => b[..Math.Min(at, b.Length)])),
            Gen.Zip(Gen.Choose(0, valid.Length), Gen.Elements(Tokens)).Select(p => (Func<byte[], byte[]>)(b => Splice(b, p.Item1, Encoding.UTF8.GetBytes(p.Item2)))),
            Gen.Zip(Gen.Choose(0, valid.Length), Gen.Elements(RawBytes)).Select(p => (Func<byte[], byte[]>)(b => Splice(b, p.Item1, p.Item2))),
            Gen.Zip(Gen.Choose(0, valid.Length), Gen.Choose(1, 40)).Select(p => (Func<byte[], byte[]>)(b => Delete(b, p.Item1, p.Item2))),
            Gen.Zip(Gen.Choose(0, valid.Length), Gen.Choose(1, 60)).Select(p => (Func<byte[], byte[]>)(b => Repeat(b, p.Item1, p.Item2))),
            Gen.Zip(Gen.Choose(0, valid.Length), Gen.Choose(0, 255)).Select(p => (Func<byte[], byte[]>)(b => Flip(b, p.Item1, (byte)p.Item2))));
        return Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(edit, n)).Select(edits => edits.Aggregate(valid, (body, e) => e(body)));
    }

    private static byte[] Splice(byte[] b, int at, byte[] insert)
    {
        at = Math.Min(at, b.Length);
        return [.. b.AsSpan(0, at), .. insert, .. b.AsSpan(at)];
    }

    private static byte[] Delete(byte[] b, int at, int count)
    {
        at = Math.Min(at, b.Length);
        count = Math.Min(count, b.Length - at);
        return [.. b.AsSpan(0, at), .. b.AsSpan(at + count)];
    }

    private static byte[] Repeat(byte[] b, int at, int count)
    {
        at = Math.Min(at, b.Length);
        count = Math.Min(count, b.Length - at);
        return [.. b.AsSpan(0, at + count), .. b.AsSpan(at, count), .. b.AsSpan(at + count)];
    }

    private static byte[] Flip(byte[] b, int at, byte value)
    {
        if (b.Length == 0)
        {
            return b;
        }
        var copy = (byte[])b.Clone();
        copy[Math.Min(at, b.Length - 1)] = value;
        return copy;
    }

    /// <summary>Random JSON objects whose names mostly come from the contract, with values of every JSON type.</summary>
    private static Gen<string> JsonObjectText(string[] names)
    {
        var name = Gen.Frequency((8, Gen.Elements(names)), (1, Gen.Elements("JaneDoe4711", "ClientRef", "$type", "")));
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "3.5e2", "1e400", "\"\"", "\"high\"", "\"phone\"", "\"searchEngine\"", "\"JaneDoe4711\"",
                "\"2026-11-25T14:00:00Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"1999-12-31T23:59:59Z\"", "\"2100-01-01T00:00:00Z\"",
                "\"\\u202EC-1\"", "\"\\uD800\"", "\"a\\u0000b\"", "\"a\\u2028b\""),
            ArbMap.Default.GeneratorFor<string>().Select(s => System.Text.Json.JsonSerializer.Serialize(s ?? "")),
            Gen.Choose(0, 5_000).Select(n => "\"" + new string('x', n) + "\""));
        Gen<string> Value(int depth) => depth <= 0
            ? scalar
            : Gen.Frequency(
                (6, scalar),
                (2, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Value(depth - 1), n)).Select(items => "[" + string.Join(",", items) + "]")),
                (2, Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Gen.Zip(name, Value(depth - 1)), n))
                    .Select(members => "{" + string.Join(",", members.Select(m => System.Text.Json.JsonSerializer.Serialize(m.Item1) + ":" + m.Item2)) + "}")));
        return Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Zip(name, Value(3)), n))
            .Select(members => "{" + string.Join(",", members.Select(m => System.Text.Json.JsonSerializer.Serialize(m.Item1) + ":" + m.Item2)) + "}");
    }
}
