using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Searches;

/// <summary>
/// Turns a submitted draft into a <see cref="CrisisSearchEntry"/>, or names every bad field.
/// The rules follow the policy: a search is only justified in a crisis, after the usual means of contact
/// (appointments, phone, email) failed, so at least one failed attempt before the search is required.
/// </summary>
public static class CrisisSearchValidator
{
    public const int MaxClientRefLength = 64;
    public const int MaxNarrativeLength = 4000;
    public const int MaxQueryLength = 500;
    public const int MaxQueries = 20;
    public const int MaxContactAttempts = 20;
    public const int MaxRecipientLength = 200;

    /// <summary>Clock skew allowed between the phone and the server for times said to be in the past.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Earliest plausible date for any time in an entry.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead a next session may be planned.</summary>
    public static readonly TimeSpan MaxNextSessionAhead = TimeSpan.FromDays(366);

    public static CrisisSearchEntry Validate(CrisisSearchDraft? draft, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (draft is null)
        {
            errors.Add("$", "a JSON object is required");
            throw new ValidationFailedException(errors);
        }

        var clientRef = TextRules.CheckCode(errors, "clientRef", draft.ClientRef, MaxClientRefLength, required: true);
        var occurredAt = CheckPastTime(errors, "occurredAt", draft.OccurredAt, now, required: true);

        CrisisDetails? crisis = null;
        if (draft.Crisis is null)
        {
            errors.Add("crisis", "is required");
        }
        else
        {
            crisis = CheckCrisis(errors, draft.Crisis, occurredAt, now);
        }

        var justification = TextRules.Check(errors, "justification", draft.Justification, MaxNarrativeLength, required: true, multiline: true);

        SearchScope? scope = null;
        if (draft.Scope is null)
        {
            errors.Add("scope", "is required");
        }
        else
        {
            scope = CheckScope(errors, draft.Scope);
        }

        var findings = TextRules.Check(errors, "findings", draft.Findings, MaxNarrativeLength, required: false, multiline: true);
        var actions = TextRules.Check(errors, "actionsTaken", draft.ActionsTaken, MaxNarrativeLength, required: false, multiline: true);

        ThirdPartyContact? thirdParty = null;
        if (draft.ThirdPartyContacted is { } tp)
        {
            var recipient = TextRules.Check(errors, "thirdPartyContacted.recipient", tp.Recipient, MaxRecipientLength, required: true, multiline: false);
            var disclosed = TextRules.Check(errors, "thirdPartyContacted.disclosed", tp.Disclosed, MaxNarrativeLength, required: true, multiline: true);
            if (recipient is not null && disclosed is not null)
            {
                thirdParty = new ThirdPartyContact(recipient, disclosed);
            }
        }

        var nextSession = CheckNextSession(errors, "nextSessionAt", draft.NextSessionAt, occurredAt, now);

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        return new CrisisSearchEntry(clientRef!, occurredAt!.Value, crisis!, justification!, scope!, findings, actions, thirdParty, nextSession);
    }

    /// <summary>Validates a next-session time on its own (used when the session is set later).</summary>
    public static DateTimeOffset? ValidateNextSession(string field, DateTimeOffset? value, DateTimeOffset? occurredAt, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var result = CheckNextSession(errors, field, value, occurredAt, now);
        return errors.IsEmpty ? result : throw new ValidationFailedException(errors);
    }

    /// <summary>Validates a time that must not lie in the future (beyond clock skew) nor before 2000.</summary>
    public static DateTimeOffset? CheckPastTime(ValidationErrors errors, string field, DateTimeOffset? value, DateTimeOffset now, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "is required");
            }
            return null;
        }
        if (value.Value < Earliest)
        {
            errors.Add(field, "must not be before 2000-01-01");
            return null;
        }
        if (value.Value > now + AllowedClockSkew)
        {
            errors.Add(field, "must not be in the future");
            return null;
        }
        return value.Value.ToUniversalTime();
    }

    private static DateTimeOffset? CheckNextSession(ValidationErrors errors, string field, DateTimeOffset? value, DateTimeOffset? occurredAt, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Value < Earliest)
        {
            errors.Add(field, "must not be before 2000-01-01");
            return null;
        }
        if (occurredAt is not null && value.Value <= occurredAt.Value)
        {
            errors.Add(field, "must be after the search (occurredAt)");
            return null;
        }
        if (value.Value > now + MaxNextSessionAhead)
        {
            errors.Add(field, "must be within a year from now");
            return null;
        }
        return value.Value.ToUniversalTime();
    }

    private static CrisisDetails? CheckCrisis(ValidationErrors errors, CrisisDraft draft, DateTimeOffset? occurredAt, DateTimeOffset now)
    {
        var danger = TextRules.Check(errors, "crisis.dangerSuspected", draft.DangerSuspected, MaxNarrativeLength, required: true, multiline: true);

        RiskLevel risk = default;
        if (draft.RiskLevel is null)
        {
            errors.Add("crisis.riskLevel", "is required");
        }
        else if (!EnumText.TryParse(draft.RiskLevel, out risk))
        {
            errors.Add("crisis.riskLevel", "must be one of: " + EnumText.Allowed<RiskLevel>());
        }

        var attempts = new List<ContactAttempt>();
        if (draft.ContactAttempts is null || draft.ContactAttempts.Count == 0)
        {
            errors.Add("crisis.contactAttempts", "at least one failed attempt through the usual means (appointment, phone, email) is required");
        }
        else if (draft.ContactAttempts.Count > MaxContactAttempts)
        {
            errors.Add("crisis.contactAttempts", $"must hold at most {MaxContactAttempts} attempts");
        }
        else
        {
            for (var i = 0; i < draft.ContactAttempts.Count; i++)
            {
                var prefix = $"crisis.contactAttempts[{i}]";
                var attempt = draft.ContactAttempts[i];
                if (attempt is null)
                {
                    errors.Add(prefix, "must be an object");
                    continue;
                }
                ContactChannel channel = default;
                var channelOk = attempt.Channel is not null && EnumText.TryParse(attempt.Channel, out channel);
                if (attempt.Channel is null)
                {
                    errors.Add(prefix + ".channel", "is required");
                }
                else if (!channelOk)
                {
                    errors.Add(prefix + ".channel", "must be one of: " + EnumText.Allowed<ContactChannel>());
                }

                var at = CheckPastTime(errors, prefix + ".at", attempt.At, now, required: true);
                if (at is not null && occurredAt is not null && at.Value > occurredAt.Value)
                {
                    errors.Add(prefix + ".at", "must be before the search (occurredAt): the usual means come first");
                    at = null;
                }
                if (channelOk && at is not null)
                {
                    attempts.Add(new ContactAttempt(channel, at.Value));
                }
            }
        }

        return danger is null || draft.RiskLevel is null || attempts.Count != (draft.ContactAttempts?.Count ?? -1)
            ? null
            : new CrisisDetails(danger, risk, attempts);
    }

    private static SearchScope? CheckScope(ValidationErrors errors, ScopeDraft draft)
    {
        var sources = new List<SearchSource>();
        if (draft.Sources is null || draft.Sources.Count == 0)
        {
            errors.Add("scope.sources", "at least one source is required");
        }
        else if (draft.Sources.Count > Enum.GetValues<SearchSource>().Length)
        {
            errors.Add("scope.sources", "must not repeat a source");
        }
        else
        {
            for (var i = 0; i < draft.Sources.Count; i++)
            {
                if (!EnumText.TryParse(draft.Sources[i], out SearchSource source))
                {
                    errors.Add($"scope.sources[{i}]", "must be one of: " + EnumText.Allowed<SearchSource>());
                }
                else if (sources.Contains(source))
                {
                    errors.Add($"scope.sources[{i}]", "must not repeat a source");
                }
                else
                {
                    sources.Add(source);
                }
            }
        }

        var queries = new List<string>();
        if (draft.Queries is { Count: > MaxQueries })
        {
            errors.Add("scope.queries", $"must hold at most {MaxQueries} queries");
        }
        else if (draft.Queries is not null)
        {
            for (var i = 0; i < draft.Queries.Count; i++)
            {
                var q = TextRules.Check(errors, $"scope.queries[{i}]", draft.Queries[i], MaxQueryLength, required: true, multiline: false);
                if (q is not null)
                {
                    queries.Add(q);
                }
            }
        }

        return sources.Count == draft.Sources?.Count && queries.Count == (draft.Queries?.Count ?? 0)
            ? new SearchScope(sources, queries)
            : null;
    }
}
