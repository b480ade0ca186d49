using WelfareAudit.Core.Witness;

namespace WelfareAudit.Core.Tests.Witness;

/// <summary>Signed notes and verifier keys against the example of the C2SP signed-note specification (a note and key this project did not make).</summary>
public sealed class SignedNoteTests
{
    private const string SpecKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private const string SpecNote = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    [Fact]
    public void VerifyNote_C2spSpecExample_Verifies()
    {
        var key = NoteVerifierKey.TryParse(SpecKey, out var error);
        Assert.Null(error);
        Assert.Equal(0x530d903au, key!.KeyId);
        Assert.Equal(SpecKey, key.ToText());
        var note = SignedNote.TryParse(SpecNote, out error);
        Assert.Null(error);
        Assert.Equal("This is an example message.\n", note!.Text);
        Assert.Equal(SpecNote, note.ToString());
        Assert.True(Cosignature.VerifyNote(key, note));
    }

    [Fact]
    public void VerifyNote_TextChanged_Fails()
    {
        var key = NoteVerifierKey.TryParse(SpecKey, out _)!;
        var note = SignedNote.TryParse(SpecNote.Replace("example message", "example massage", StringComparison.Ordinal), out _)!;
        Assert.False(Cosignature.VerifyNote(key, note));
    }

    [Theory]
    [InlineData("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // key ID does not match
    [InlineData("example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // unknown type
    [InlineData("example.com/foo+530d903a")]
    [InlineData("exa mple+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    public void TryParse_BadVerifierKey_Refused(string text)
    {
        Assert.Null(NoteVerifierKey.TryParse(text, out var error));
        Assert.NotNull(error);
    }
}
