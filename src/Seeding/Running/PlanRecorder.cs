namespace Seeding.Running;

/// <summary>
/// A step's writes the plan left out: the first <see cref="RunRequest.PlanLimit"/> documents of each step are listed
/// one by one, the rest only counted, so the report of a huge backfill stays small.
/// </summary>
/// <param name="Step">The step: its verb and collection (e.g. <c>backfill users</c>), or <c>code</c> for a C# migration's own code.</param>
/// <param name="Line">The YAML line of the step; 0 for code.</param>
/// <param name="Count">How many documents of the step were counted and not listed.</param>
public sealed record PlanOmission(string Step, int Line, long Count);

/// <summary>
/// The one rule of how much of a plan a report holds: per step, the first <c>limit</c> documents as lines, the rest as
/// counts (<see cref="PlanOmission"/>); every document, listed or not, in the per-action counts the report's totals
/// come from. Used by <see cref="MigrationContext"/> for real runs and dry runs alike.
/// </summary>
internal sealed class PlanRecorder(int limit)
{
    private readonly List<PlannedWrite> _lines = [];
    private readonly long[] _counts = new long[Enum.GetValues<PlanAction>().Length];
    private readonly List<PlanOmission> _omissions = [];
    private (string Name, int Line) _step = ("code", 0);
    private int _listedInStep;
    private long _omittedInStep;

    /// <summary>The listed lines, in order.</summary>
    public IReadOnlyList<PlannedWrite> Lines => _lines;

    /// <summary>The omissions of the steps so far, the current one included.</summary>
    public IReadOnlyList<PlanOmission> Omissions =>
        _omittedInStep == 0 ? _omissions.ToArray() : [.. _omissions, new PlanOmission(_step.Name, _step.Line, _omittedInStep)];

    /// <summary>Starts counting a new step's lines against the limit.</summary>
    public void BeginStep(string step, int line)
    {
        if (_omittedInStep > 0)
        {
            _omissions.Add(new PlanOmission(_step.Name, _step.Line, _omittedInStep));
        }

        (_step, _listedInStep, _omittedInStep) = ((step, line), 0, 0);
    }

    /// <summary>Counts <paramref name="entry"/> and lists it while the step is under the limit; returns its line index, or -1 when only counted.</summary>
    public int Add(PlannedWrite entry)
    {
        _counts[(int)entry.Action]++;
        if (_listedInStep < limit)
        {
            _listedInStep++;
            _lines.Add(entry);
            return _lines.Count - 1;
        }

        _omittedInStep++;
        return -1;
    }

    /// <summary>A write refused by its precondition: moves it from <paramref name="from"/> to <paramref name="to"/> (and its line, if listed).</summary>
    public void Change(int index, PlanAction from, PlanAction to)
    {
        _counts[(int)from]--;
        _counts[(int)to]++;
        if (index >= 0)
        {
            _lines[index] = _lines[index] with { Action = to };
        }
    }

    /// <summary>How many lines are listed (a backfill's lines follow from here).</summary>
    public int LineCount => _lines.Count;

    /// <summary>
    /// Puts the listed lines from <paramref name="start"/> in path order: a partitioned backfill's batches commit in any
    /// order, a dry run lists them in path order. (Over the plan limit, the lines listed are the first committed.)
    /// </summary>
    public void OrderLinesFrom(int start)
    {
        var tail = _lines.Skip(start).OrderBy(p => p.Path).ToArray();
        _lines.RemoveRange(start, _lines.Count - start);
        _lines.AddRange(tail);
    }

    /// <summary>How many documents got <paramref name="action"/>, listed or not.</summary>
    public long Count(PlanAction action) => _counts[(int)action];

    /// <summary>Every action's count.</summary>
    public IReadOnlyDictionary<PlanAction, long> Counts() => Enum.GetValues<PlanAction>().ToDictionary(a => a, Count);
}
