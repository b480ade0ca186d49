namespace WelfareAudit.Cli.Tests.Trust;

/// <summary>
/// What <see cref="OwnerRewrite"/> did: <see cref="FirstRemovedSequence"/> is where the rewritten history parts from the
/// original (the sequence every detector must name); the ledger went from <see cref="OldHead"/> to <see cref="NewHead"/> events.
/// </summary>
public sealed record OwnerRewriteResult(string LedgerId, long FirstRemovedSequence, int RemovedEvents, long OldHead, long NewHead);
