using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Model;

namespace Seeding.Generators.Emit;

/// <summary>
/// Renders a resource step as a call of the runtime's public factory with its spec, e.g.
/// <c>SeedStep.Topic(line: 3, new TopicSpec("audit-events") { MessageRetention = TimeSpan.FromDays(7) })</c>,
/// settings in a fixed order and labels sorted, under the step's YAML file:line.
/// </summary>
internal static class ResourceEmitter
{
    private const string ResourcesNs = "global::Seeding.Resources";

    public static void EmitStep(SourceWriter w, StepModel step, ResourceModel resource, string source, string? conditions)
    {
        var (factory, spec) = resource.Kind switch
        {
            ResourceKinds.Topic => ("Topic", $"new {ResourcesNs}.TopicSpec({CSharpText.Literal(resource.Name)})"),
            ResourceKinds.Subscription => ("Subscription", $"new {ResourcesNs}.SubscriptionSpec({CSharpText.Literal(resource.Name)}, {CSharpText.Literal(resource.Topic!)})"),
            ResourceKinds.Index => ("Index", $"new {ResourcesNs}.IndexSpec({CSharpText.Literal(resource.Name)}, {ResourcesNs}.IndexScope.{resource.Scope}, new {ResourcesNs}.IndexField[]"),
            _ => ("FieldOverride", $"new {ResourcesNs}.FieldOverrideSpec({CSharpText.Literal(resource.Name)}, {CSharpText.Literal(resource.FieldPath!)})"),
        };
        var head = $"global::Seeding.Definitions.SeedStep.{factory}(line: {CSharpText.Int(step.Line)}, {spec}";
        var tail = (conditions is null ? string.Empty : ", conditions: " + conditions) + "),";
        w.Line($"// {CSharpText.Comment(source)}:{CSharpText.Int(step.Line)}");
        if (resource.Kind == ResourceKinds.Index)
        {
            w.Open(head);
            foreach (var field in resource.Fields)
            {
                w.Line($"new({CSharpText.Literal(field.Path)}, {ResourcesNs}.IndexOrder.{field.Order}),");
            }

            w.Close("})" + tail);
            return;
        }

        var settings = Settings(resource).ToList();
        if (settings.Count == 0)
        {
            w.Line(head + tail);
            return;
        }

        w.Open(head);
        foreach (var setting in settings)
        {
            w.Line(setting + ",");
        }

        w.Close("}" + tail);
    }

    /// <summary>The declared settings as object-initializer assignments, in the order of the spec's properties.</summary>
    private static IEnumerable<string> Settings(ResourceModel resource)
    {
        if (resource.Labels.Count > 0)
        {
            var labels = string.Join(", ", resource.Labels.Select(l => $"[{CSharpText.Literal(l.Key)}] = {CSharpText.Literal(l.Value)}"));
            yield return $"Labels = new global::System.Collections.Generic.Dictionary<string, string>(global::System.StringComparer.Ordinal) {{ {labels} }}";
        }

        if (resource.AckDeadline is { } deadline)
        {
            yield return "AckDeadline = " + Duration(deadline);
        }

        if (resource.MessageRetention is { } retention)
        {
            yield return "MessageRetention = " + Duration(retention);
        }

        if (resource.Filter is { } filter)
        {
            yield return "Filter = " + CSharpText.Literal(filter);
        }

        if (resource.DeadLetterTopic is { } deadLetter)
        {
            yield return $"DeadLetter = new {ResourcesNs}.DeadLetterPolicy({CSharpText.Literal(deadLetter)}, MaxDeliveryAttempts: {resource.MaxDeliveryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        }

        if (resource.PushEndpoint is { } endpoint)
        {
            yield return "PushEndpoint = " + CSharpText.Literal(endpoint);
        }

        if (resource.HasIndexes)
        {
            var indexes = string.Join(", ", resource.Indexes.Select(i => $"new({ResourcesNs}.IndexOrder.{i.Order}, {ResourcesNs}.IndexScope.{i.Scope})"));
            yield return resource.Indexes.Count == 0 ? $"Indexes = global::System.Array.Empty<{ResourcesNs}.FieldIndex>()" : $"Indexes = new {ResourcesNs}.FieldIndex[] {{ {indexes} }}";
        }

        if (resource.Ttl is { } ttl)
        {
            yield return "Ttl = " + (ttl ? "true" : "false");
        }
    }

    /// <summary>A TimeSpan in the unit the YAML used: <c>7d</c> is <c>TimeSpan.FromDays(7)</c>.</summary>
    private static string Duration(DurationModel duration)
    {
        var unit = duration.Unit switch
        {
            'd' => "Days",
            'h' => "Hours",
            'm' => "Minutes",
            _ => "Seconds",
        };
        return $"global::System.TimeSpan.From{unit}({duration.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
    }
}
