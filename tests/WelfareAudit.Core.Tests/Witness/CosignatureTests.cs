using WelfareAudit.Core.Witness;

namespace WelfareAudit.Core.Tests.Witness;

/// <summary>
/// C2SP cosignature/v1 over a checkpoint note. The fixed vector (key seed 32 × 0x01, the note below, time
/// 1764633600) was also computed by an independent Python implementation (Python's `cryptography`
/// package, Ed25519, written from the C2SP text; see docs/vectors/README.md), so the bytes are not only this code agreeing with itself.
/// </summary>
public sealed class CosignatureTests
{
    private static readonly WitnessSigningKey Key = WitnessSigningKey.FromSeed("board.example/witness", Enumerable.Repeat((byte)1, 32).ToArray());

    private static readonly CheckpointNote Note = new("clinic.example/welfare-audit/L1", 3,
        Convert.FromHexString("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
        "36ff612f24cb5649ee0d127f4e20e9ff01f41bc8e090600cabc27339993c1ff7");

    [Fact]
    public void Message_IsHeaderTimeAndBody()
    {
        Assert.Equal(
            "cosignature/v1\ntime 1764633600\nclinic.example/welfare-audit/L1\n3\nrra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\nchain-head 36ff612f24cb5649ee0d127f4e20e9ff01f41bc8e090600cabc27339993c1ff7\n",
            System.Text.Encoding.UTF8.GetString(Cosignature.Message(Note.Body, 1764633600)));
    }

    [Fact]
    public void Sign_FixedKeyAndTime_IsTheCommittedVector()
    {
        var signature = Cosignature.Sign(Key, Note.Body, 1764633600);
        Assert.Equal(Expected.Line, signature.ToLine());
        Assert.Equal(Expected.VerifierKey, Key.Public.ToText());
    }

    [Fact]
    public void Verify_OwnCosignature_ReturnsItsTime()
    {
        var signature = Cosignature.Sign(Key, Note.Body, 1764633600);
        Assert.Equal(1764633600, Cosignature.Verify(Key.Public, Note.Body, signature));
        var note = new SignedNote(Note.Body, [signature]);
        Assert.True(Cosignature.VerifyNote(Key.Public, SignedNote.TryParse(note.ToString(), out _)!));
    }

    [Fact]
    public void Verify_OtherHeadOrTimeOrKey_Fails()
    {
        var signature = Cosignature.Sign(Key, Note.Body, 1764633600);
        Assert.Null(Cosignature.Verify(Key.Public, (Note with { HeadHash = new string('0', 64) }).Body, signature));
        Assert.Null(Cosignature.Verify(Key.Public, (Note with { TreeSize = 4 }).Body, signature));
        var later = signature.Signature.ToArray();
        later[7] ^= 1; // the timestamp is signed
        Assert.Null(Cosignature.Verify(Key.Public, Note.Body, signature with { Signature = later }));
        var other = WitnessSigningKey.FromSeed("board.example/witness", Enumerable.Repeat((byte)2, 32).ToArray());
        Assert.Null(Cosignature.Verify(other.Public, Note.Body, signature));
    }

    [Fact]
    public void PrivateKeyText_RoundTrips_AndPemCarriesThePublicKey()
    {
        var again = WitnessSigningKey.TryParse(Key.ToText(), out var error);
        Assert.Null(error);
        Assert.Equal(Key.Public, again!.Public);
        Assert.Equal(Key.Public.PublicKey, WitnessPublicKeyPem.TryRead(WitnessPublicKeyPem.Write(Key.Public.PublicKey)));
    }

    [Fact]
    public void CheckpointNote_Body_ParsesBackStrictly()
    {
        Assert.Equal(Note.Body, CheckpointNote.TryParse(Note.Body)!.Body);
        Assert.Null(CheckpointNote.TryParse(Note.Body.Replace("\n3\n", "\n03\n", StringComparison.Ordinal)));
        Assert.Null(CheckpointNote.TryParse(Note.Body + "extra\n"));
    }

    private static class Expected
    {
        public const string Line = "\u2014 board.example/witness IhJWpAAAAABpLiwAKWbAKUNZbwPq+amgeovVRc+YzrjXJ9ZZn4PMQMlKrWK04NMeXwJZYtlFvGp1a0RXf9t+ePNghDqCaGEcYW1kAg==\n";
        public const string VerifierKey = "board.example/witness+221256a4+BIqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c";
    }
}
