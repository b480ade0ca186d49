using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>
/// Checks, before the configuration binder runs, that every setting of a section can be read as the type
/// of the property it binds to. The binder's own error quotes the value ("Failed to convert configuration
/// value 'x' at ...", with the value again in the inner exception), and a value can be a secret: this
/// check names the setting and the expected form only.
/// </summary>
public static class SettingValues
{
    /// <summary>Throws <see cref="OptionsValidationException"/> naming every setting of <paramref name="section"/> that <typeparamref name="T"/> cannot hold.</summary>
    public static void ThrowIfUnreadable<T>(IConfiguration section) where T : class
    {
        var failures = new List<string>();
        Walk(typeof(T), section, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(T), failures);
        }
    }

    private static void Walk(Type type, IConfiguration section, List<string> failures)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                // The binder ignores what the class does not have; so does this check.
                continue;
            }
            Check(property.PropertyType, child, failures);
        }
    }

    private static void Check(Type type, IConfigurationSection section, List<string> failures)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (!string.IsNullOrEmpty(section.Value) && !CanConvert(target, section.Value))
            {
                failures.Add($"{section.Path} must be {Describe(target)} (the value is not shown).");
            }
            return;
        }
        if (ElementType(target) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                Check(element, item, failures);
            }
            return;
        }
        Walk(target, section, failures);
    }

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan) ||
        type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);

    /// <summary>The element type of a list, array or dictionary (its values), or null.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return type.GetGenericArguments()[^1];
        }
        return null;
    }

    /// <summary>The conversion the binder makes (the type's converter, invariant culture).</summary>
    private static bool CanConvert(Type type, string value)
    {
        if (type == typeof(string))
        {
            return true;
        }
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception)
        {
            // Any converter failure means "cannot be read"; its exception quotes the value, so it is dropped.
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a time span ([d.]hh:mm[:ss[.fffffff]], e.g. 00:05:00)",
        _ when type == typeof(Uri) => "a URI",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date-time",
        _ when type.IsEnum => "one of: " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };
}
