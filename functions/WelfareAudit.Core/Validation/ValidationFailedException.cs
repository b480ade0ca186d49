namespace WelfareAudit.Core.Validation;

/// <summary>Thrown when input fails validation; carries only field names and fixed messages.</summary>
public sealed class ValidationFailedException(ValidationErrors errors)
    : Exception("The request has invalid fields: " + string.Join(", ", errors.ToDictionary().Keys))
{
    public ValidationErrors Errors { get; } = errors;

    /// <summary>The failure of one field.</summary>
    public static ValidationFailedException For(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return new ValidationFailedException(errors);
    }
}
