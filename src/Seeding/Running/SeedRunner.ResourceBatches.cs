using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>Resource steps of a file ensured several at a time, where nothing in the file orders them.</summary>
public sealed partial class SeedRunner
{
    /// <summary>How many Pub/Sub topics (or subscriptions) of one file are ensured at a time.</summary>
    /// <remarks>
    /// Each costs a Get and a Create in sequence, so one at a time a file of 1,000 topics waits for 4,000 round trips
    /// in a row (the resources benchmark: 93-95% of the run). Topics do not depend on one another, nor do
    /// subscriptions (a subscription's topic comes from an earlier step), so a run of consecutive steps of one kind
    /// goes out a few at a time, reported in file order. Kept small: Pub/Sub's administrator operations have a
    /// per-project rate quota, and a RESOURCE_EXHAUSTED answer is retried with backoff by the client.
    /// </remarks>
    internal const int PubSubConcurrency = 8;

    /// <summary>
    /// The steps of <paramref name="steps"/> from <paramref name="start"/> that can be ensured together: consecutive
    /// topic steps (or subscription steps) with distinct names; any other step goes alone.
    /// </summary>
    internal static int BatchEnd(IReadOnlyList<SeedStep> steps, int start)
    {
        if (steps[start] is not (TopicStep or SubscriptionStep))
        {
            return start + 1;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var end = start;
        while (end < steps.Count && steps[end].GetType() == steps[start].GetType() && names.Add(steps[end].Collection))
        {
            end++;
        }

        return end;
    }

    /// <summary>
    /// Ensures a batch from <see cref="BatchEnd"/>, up to <see cref="PubSubConcurrency"/> at a time, and adds what was
    /// done to the attempt in file order. When some fail, every step that succeeded is still reported and the attempt
    /// names the first failed step in file order; the next run finds what this one created (skip, exists).
    /// </summary>
    private async Task ApplyResourceBatchAsync(RunState run, SeedDefinition seed, IReadOnlyList<ResourceStep> batch, SeedAttempt attempt)
    {
        run.Lease?.ThrowIfLost();
        if (batch.Count == 1)
        {
            (attempt.Step, attempt.Line) = ($"{batch[0].Verb} {batch[0].Collection}", batch[0].Line);
            attempt.Resources.Add(await ApplyResourceStepAsync(run, seed, batch[0]).ConfigureAwait(false));
            return;
        }

        using var gate = new SemaphoreSlim(PubSubConcurrency);
        async Task<PlannedResource> EnsureAsync(ResourceStep step)
        {
            await gate.WaitAsync(run.CancellationToken).ConfigureAwait(false);
            try
            {
                return await ApplyResourceStepAsync(run, seed, step).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        var ensuring = batch.Select(EnsureAsync).ToArray();
        try
        {
            await Task.WhenAll(ensuring).ConfigureAwait(false);
        }
        catch
        {
            // Reported below, in file order.
        }

        // Everything that was done is reported, in file order; the first failure (in file order) is the file's failure.
        var failed = -1;
        for (var i = 0; i < batch.Count; i++)
        {
            if (ensuring[i].IsCompletedSuccessfully)
            {
                attempt.Resources.Add(ensuring[i].Result);
            }
            else if (failed < 0)
            {
                failed = i;
            }
        }

        if (failed >= 0)
        {
            (attempt.Step, attempt.Line) = ($"{batch[failed].Verb} {batch[failed].Collection}", batch[failed].Line);
            await ensuring[failed].ConfigureAwait(false); // rethrows its exception
        }
    }
}
