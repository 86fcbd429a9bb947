using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Cli.Commands;

/// <summary>
/// What a pull knows about document paths, bounded: whether each was pulled (true) or is not part of the pull (false).
/// Two generations of at most half the capacity each: when the newer is full, the older is forgotten and the newer takes
/// its place, so the paths of the last pages and the targets just resolved are always known, and memory stays flat.
/// </summary>
internal sealed class KnownPaths(int capacity)
{
    private readonly int _generation = Math.Max(1, capacity / 2);
    private Dictionary<DocumentPath, bool> _newer = [];
    private Dictionary<DocumentPath, bool> _older = [];

    public void Clear()
    {
        _newer = [];
        _older = [];
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
            _newer = new Dictionary<DocumentPath, bool>(_generation);
        }

        _newer[path] = pulled;
    }

    public bool Knows(DocumentPath path) => _newer.ContainsKey(path) || _older.ContainsKey(path);

    public bool IsPulled(DocumentPath path) =>
        _newer.TryGetValue(path, out var pulled) ? pulled : _older.TryGetValue(path, out pulled) && pulled;
}
