using System.Text;
using Microsoft.Data.Sqlite;

namespace Seeding.Packaging.Tests;

/// <summary>A SQLite database as text, to see whether a step wrote to it.</summary>
internal static class SqliteDump
{
    /// <summary>Every row of every table, in a stable order: equal dumps mean the database was not written.</summary>
    public static string Of(string database)
    {
        var text = new StringBuilder();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            text.Append("## ").Append(table).Append('\n');
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"")}\"";
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Append(reader.GetName(i)).Append('=').Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append(" | ");
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            text.AppendJoin('\n', rows).Append('\n');
        }

        return text.ToString();
    }
}
