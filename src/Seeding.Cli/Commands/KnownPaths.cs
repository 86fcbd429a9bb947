using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Cli.Commands;

/// <summary>
/// What a pull knows about document paths, bounded: whether each was pulled (true) or is not part of the pull (false).
/// Two generations of at most half the capacity each: when the newer is full, the older is forgotten and the newer takes
/// its place, so the paths of the last pages and the targets just resolved are always known, and memory stays flat.
/// Kept by their path text (the string a <see cref="DocumentPath"/> already holds), so a pulled document leaves one
/// long-lived string behind, not a path object and its segments.
/// </summary>
internal sealed class KnownPaths(int capacity)
{
    private readonly int _generation = Math.Max(1, capacity / 2);
    private Dictionary<string, bool> _newer = new(StringComparer.Ordinal);
    private Dictionary<string, bool> _older = new(StringComparer.Ordinal);

    public void Clear()
    {
        _newer = new(StringComparer.Ordinal);
        _older = new(StringComparer.Ordinal);
    }

    public void AddPulled(IEnumerable<DocumentSnapshot> documents)
    {
        foreach (var document in documents)
        {
            Add(document.Path, pulled: true);
        }
    }

    public void Add(DocumentPath path, bool pulled)
    {
        if (_newer.Count >= _generation)
        {
            _older = _newer;
            _newer = new Dictionary<string, bool>(_generation, StringComparer.Ordinal);
        }

        _newer[path.ToString()] = pulled;
    }

    public bool Knows(DocumentPath path) => _newer.ContainsKey(path.ToString()) || _older.ContainsKey(path.ToString());

    public bool IsPulled(DocumentPath path) =>
        _newer.TryGetValue(path.ToString(), out var pulled) ? pulled : _older.TryGetValue(path.ToString(), out pulled) && pulled;
}
