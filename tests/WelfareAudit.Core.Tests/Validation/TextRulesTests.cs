using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Tests.Validation;

public class TextRulesTests
{
    public static TheoryData<string> FormatCharacters() =>
    [
        "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", // embeddings, PDF, overrides
        "\u2066", "\u2067", "\u2068", "\u2069",           // isolates
        "\u200E", "\u200F", "\u061C",                     // marks
        "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", // zero-width space, joiners, word joiner, BOM
        "\u00AD",                                         // soft hyphen
        "\U000E0041",                                     // a tag character (a surrogate pair)
    ];

    [Theory]
    [MemberData(nameof(FormatCharacters))]
    public void CheckCode_InvisibleOrBidiCharacter_Refused(string c)
    {
        var errors = new ValidationErrors();

        var value = TextRules.CheckCode(errors, "clientRef", "C-" + c + "1001", 64, required: true);

        Assert.Null(value);
        Assert.True(errors.Contains("clientRef"));
    }

    [Theory]
    [MemberData(nameof(FormatCharacters))]
    public void Check_FreeText_KeepsMarksJoinersAndBidiControls(string c)
    {
        var errors = new ValidationErrors();
        var text = "لم يرد " + c + " no answer";

        Assert.Equal(text, TextRules.Check(errors, "justification", text, 4000, required: true, multiline: true));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("C-1001")]
    [InlineData("C-عميل-1001")]
    [InlineData("Клиент 7")]
    [InlineData("  C-1001  ")]
    public void CheckCode_PlainCodeInAnyScript_Accepted(string code)
    {
        var errors = new ValidationErrors();

        Assert.Equal(code.Trim(), TextRules.CheckCode(errors, "clientRef", code, 64, required: true));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("a\u2028b")]
    [InlineData("a\u2029b")]
    [InlineData("a\nb")]
    public void Check_SingleLine_LineOrParagraphSeparator_Refused(string value)
    {
        var errors = new ValidationErrors();

        Assert.Null(TextRules.Check(errors, "scope.queries[0]", value, 500, required: true, multiline: false));
        Assert.True(errors.Contains("scope.queries[0]"));
    }

    [Fact]
    public void Check_Multiline_LineAndParagraphSeparators_Accepted()
    {
        var errors = new ValidationErrors();

        Assert.Equal("a\u2028b\u2029c", TextRules.Check(errors, "note", "a\u2028b\u2029c", 4000, required: false, multiline: true));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Check_LoneSurrogate_Refused()
    {
        // Built at run time: attribute data would turn a lone surrogate into U+FFFD.
        string[] values = [new string((char)0xD800, 1), "a" + (char)0xDC00, string.Concat((char)0xDC00, (char)0xD800), (char)0xDBFF + "A"];
        foreach (var value in values)
        {
            var errors = new ValidationErrors();

            Assert.Null(TextRules.Check(errors, "note", value, 4000, required: true, multiline: true));
            Assert.True(errors.Contains("note"));
        }
    }

    [Fact]
    public void Validate_ClientRefWithRightToLeftOverride_NamesClientRef()
    {
        var draft = Searches.CrisisSearchValidatorTests.ValidDraft();
        draft.ClientRef = "C-\u202E1001";

        var e = Assert.Throws<ValidationFailedException>(() => CrisisSearchValidator.Validate(draft, new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero)));

        Assert.Equal(["clientRef"], e.Errors.ToDictionary().Keys);
    }
}
