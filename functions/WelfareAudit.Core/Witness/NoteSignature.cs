namespace WelfareAudit.Core.Witness;

/// <summary>One signature line of a signed note: <c>— name base64(key ID ‖ signature)</c>.</summary>
public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature)
{
    public const string Dash = "\u2014 ";

    public string ToLine()
    {
        var bytes = new byte[4 + Signature.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
        Signature.CopyTo(bytes, 4);
        return $"{Dash}{Name} {Convert.ToBase64String(bytes)}\n";
    }
}
