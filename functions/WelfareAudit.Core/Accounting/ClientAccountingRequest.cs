using WelfareAudit.Core.Searches;
using WelfareAudit.Core.Validation;

namespace WelfareAudit.Core.Accounting;

/// <summary>A validated request: the client code (by the rules of a logged client code) and the representation.</summary>
public sealed record ClientAccountingRequest(string ClientRef, string Format)
{
    /// <summary>Validates the body; throws <see cref="ValidationFailedException"/> naming every bad field, never repeating a value.</summary>
    public static ClientAccountingRequest Parse(ClientAccountingDraft? draft)
    {
        if (draft is null)
        {
            throw ValidationFailedException.For("$", "a JSON object is required");
        }
        var errors = new ValidationErrors();
        var clientRef = TextRules.CheckCode(errors, "clientRef", draft.ClientRef, CrisisSearchValidator.MaxClientRefLength, required: true);
        if (string.IsNullOrEmpty(draft.Format))
        {
            errors.Add("format", "is required: html or bundle");
        }
        else if (draft.Format is not (ClientAccountingFormat.Html or ClientAccountingFormat.Bundle))
        {
            errors.Add("format", "must be one of: html, bundle");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }
        return new ClientAccountingRequest(clientRef!, draft.Format!);
    }
}
