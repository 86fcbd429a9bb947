using System.Text;

namespace Seeding.Cli.Commands;

/// <summary>
/// The files of one pull, written atomically: each part goes to a temporary file beside its target, and only
/// <see cref="Commit"/> renames them into place (after checking that none of the targets exists). Disposed without a
/// commit (an error, a cancellation), it deletes the temporary files: a failed pull leaves nothing behind.
/// </summary>
internal sealed class PullFiles(PullTargets targets, int maxPerFile) : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<(string Temp, string Target, int Documents)> _parts = [];
    private StreamWriter? _writer;
    private int _inPart;
    private string _step = string.Empty;
    private bool _committed;

    /// <summary>What every part starts with after its schema line: header comments, then the step's keys and <c>documents:</c> (or <c>steps:</c>).</summary>
    public string Preamble { get; set; } = string.Empty;

    /// <summary>
    /// Starts a step (an item of <c>steps:</c>): its keys are written now, and again at the top of each later part that
    /// continues it, so every part is a seed file of its own.
    /// </summary>
    public async Task BeginStepAsync(string stepKeys, CancellationToken cancellationToken)
    {
        _step = stepKeys;
        if (_writer is not null && _inPart < maxPerFile)
        {
            await _writer.WriteAsync(stepKeys.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends one document's text, starting a new part after <c>maxPerFile</c> documents. The text goes into the
    /// writer's buffer (64 KiB), written to the file as it fills: synchronously, since an await per document costs a
    /// pull of a million documents more than the local disk does.
    /// </summary>
    public async Task WriteAsync(string document, CancellationToken cancellationToken)
    {
        if (_writer is null || _inPart == maxPerFile)
        {
            await StartPartAsync(cancellationToken).ConfigureAwait(false);
        }

        _writer!.Write(document);
        _inPart++;
        var last = _parts[^1];
        _parts[^1] = last with { Documents = last.Documents + 1 };
    }

    /// <summary>Writes a whole file as the only part (after its schema line), for a pull that is one file of known content.</summary>
    public async Task WriteFileAsync(string content, CancellationToken cancellationToken)
    {
        if (_parts.Count > 0)
        {
            throw new InvalidOperationException("A whole file is the only part of its pull.");
        }

        Preamble = content;
        await StartPartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames every part into place; returns each target with its document count.</summary>
    public IReadOnlyList<(string Path, int Documents)> Commit()
    {
        Close();
        var existing = _parts.FirstOrDefault(p => File.Exists(p.Target));
        if (existing.Target is not null)
        {
            throw new CommandException(ExitCodes.Failure, $"{existing.Target} exists and is never overwritten; pass --into with another file or folder. Nothing was written.");
        }

        foreach (var (temp, target, _) in _parts)
        {
            File.Move(temp, target, overwrite: false);
        }

        _committed = true;
        return _parts.Select(p => (p.Target, p.Documents)).ToArray();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        if (!_committed)
        {
            foreach (var (temp, _, _) in _parts)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                    // Best effort: a temporary file is named as one (.pull-*.tmp) and never read by the build.
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private async Task StartPartAsync(CancellationToken cancellationToken)
    {
        Close();
        var target = targets.PathOf(_parts.Count);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".pull-{Guid.NewGuid():N}.tmp");
        _parts.Add((temp, target, 0));
        _writer = new StreamWriter(new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0), Utf8, bufferSize: 1 << 16) { NewLine = "\n" };
        _inPart = 0;
        await _writer.WriteAsync(targets.SchemaLine(target).AsMemory(), cancellationToken).ConfigureAwait(false);
        await _writer.WriteAsync(Preamble.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _writer.WriteAsync(_step.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
