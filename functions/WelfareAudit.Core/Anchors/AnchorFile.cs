namespace WelfareAudit.Core.Anchors;

/// <summary>One anchor as a board keeps it: its blob name (the path under the pulled folder, with <c>/</c>) and its bytes.</summary>
public sealed record AnchorFile(string Name, byte[] Content);
