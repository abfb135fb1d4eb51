using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Provenance.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for tests (and the bench): initdb into a fresh temp directory, the server listening
/// only on 127.0.0.1 on a free port, trust authentication for the user <c>provenance</c>, no fsync unless the caller's
/// settings turn it back on. When the process runs as root (CI, this machine) initdb and postgres run as the
/// <c>postgres</c> system user, since they refuse to run as root. A detached watchdog shuts the cluster down and
/// deletes its directory when the process dies without disposing it. Use <see cref="Shared"/> unless a test stops or
/// restarts the server. Thread-safe.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "provenance";
    private const string SystemUser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);

    private readonly string _binDirectory;
    private readonly string _directory;
    private int _disposed;

    private PostgresServer(string binDirectory, string directory, int port)
    {
        _binDirectory = binDirectory;
        _directory = directory;
        Port = port;
    }

    /// <summary>One cluster per test process, started on first use and stopped at process exit.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    public int Port { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The server log (for failure messages).</summary>
    public string Log => File.Exists(LogPath) ? ReadShared(LogPath) : string.Empty;

    private string LogPath => Path.Combine(_directory, "postgres.log");

    /// <summary>Creates a cluster and starts it; returns once it accepts connections.</summary>
    /// <param name="settings">
    /// postgresql.conf lines written after the test defaults (the last occurrence of a setting wins): e.g. the
    /// bench turns <c>fsync</c> and <c>full_page_writes</c> back on and sizes the buffers.
    /// </param>
    public static async Task<PostgresServer> StartAsync(IEnumerable<string>? settings = null)
    {
        var bin = BinDirectory();
        var directory = Directory.CreateTempSubdirectory("prov-pg-").FullName;
        var server = new PostgresServer(bin, directory, FreePort.Next());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await server.RunCheckedAsync("chown", ["-R", $"{SystemUser}:", directory], asSystemUser: false);
            }

            await server.RunCheckedAsync(Path.Combine(bin, "initdb"),
                ["-D", server.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            var defaults = string.Join('\n',
                "listen_addresses = '127.0.0.1'",
                $"port = {server.Port.ToString(CultureInfo.InvariantCulture)}",
                $"unix_socket_directories = '{directory}'",
                "max_connections = 300",
                // Tests kill the server's process, never the machine: a commit written to the OS is enough. A commit
                // must still reach the OS before it returns, so synchronous_commit stays on.
                "fsync = off",
                "full_page_writes = off",
                "logging_collector = off");
            var extra = string.Join('\n', settings ?? []);
            await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.conf"), "\n" + defaults + "\n" + extra + "\n");
            server.StartWatchdog();
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A hot standby of this server: <c>pg_basebackup</c> of the running cluster into a fresh temp directory, configured to
    /// stream from this server (<c>-R</c>) and started on its own free port; returns once it accepts read-only connections.
    /// </summary>
    public async Task<PostgresServer> StartStandbyAsync()
    {
        var directory = Directory.CreateTempSubdirectory("prov-pg-standby-").FullName;
        var standby = new PostgresServer(_binDirectory, directory, FreePort.Next());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await standby.RunCheckedAsync("chown", ["-R", $"{SystemUser}:", directory], asSystemUser: false);
            }

            await standby.RunCheckedAsync(Path.Combine(_binDirectory, "pg_basebackup"),
                ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
            var settings = string.Join('\n',
                $"port = {standby.Port.ToString(CultureInfo.InvariantCulture)}",
                $"unix_socket_directories = '{directory}'",
                "hot_standby = on");
            await File.AppendAllTextAsync(Path.Combine(standby.DataDirectory, "postgresql.conf"), "\n" + settings + "\n");
            standby.StartWatchdog();
            await standby.StartAgainAsync();
            return standby;
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server (no password: trust).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
        IncludeErrorDetail = true,
    }.ToString();

    /// <summary>Creates a new, uniquely named, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{Sanitize(prefix ?? "test")}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>Shuts the server down at once (<c>pg_ctl stop -m immediate</c>, like a crash); the data stays.</summary>
    public Task StopAsync() =>
        RunCheckedAsync(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"]);

    /// <summary>Starts the server on the same data directory and port; returns once it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        try
        {
            await RunCheckedAsync(Path.Combine(_binDirectory, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogPath, "-w", "-t", "60"]);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- postgres.log ---\n{Log}", e);
        }

        // Pooled connections to the previous server instance are dead; do not hand them out again.
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], asSystemUser: true);
        }

        DeleteDirectory();
    }

    /// <summary>The bin directory of the highest PostgreSQL version installed under /usr/lib/postgresql (Debian's layout).</summary>
    private static string BinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .Select(d => (Directory: d, Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .OrderByDescending(d => d.Version)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0].Directory, "bin")
            : throw new InvalidOperationException($"PostgreSQL is not installed (no {root}/<version>/bin/initdb). Install it: apt-get install postgresql (eng/install-deps.sh does).");
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static string Sanitize(string prefix)
    {
        var chars = prefix.ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_').Take(24).ToArray();
        return chars.Length > 0 ? new string(chars) : "test";
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A shell in its own session (not a child of this process, so killing the test process tree spares it) that
    /// waits for this process to end, then shuts the cluster down immediately and deletes its directory. It exits
    /// by itself once the directory is gone, which is what <see cref="DisposeAsync"/> does.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
            [ -d "$2" ] || exit 0
            pid=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$2/data/postmaster.pid" ] || break; sleep 1; done
            rm -rf "$2"
            """;
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-f", "sh", "-c", script, "postgres-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _directory })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the PostgreSQL watchdog (setsid)");
        process.StandardInput.Close();
        process.WaitForExit();
    }

    private async Task RunCheckedAsync(string tool, IEnumerable<string> args, bool asSystemUser = true)
    {
        var result = await RunAsync(tool, args, asSystemUser);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe($"{Path.GetFileName(tool)} {string.Join(' ', args)}"));
        }
    }

    private Task<ProcessResult> RunAsync(string tool, IEnumerable<string> args, bool asSystemUser)
    {
        // initdb and postgres refuse to run as root.
        if (asSystemUser && Environment.IsPrivilegedProcess)
        {
            return ProcessRunner.RunAsync("runuser", ["-u", SystemUser, "--", tool, .. args], _directory, timeout: TimeSpan.FromMinutes(2));
        }

        return ProcessRunner.RunAsync(tool, args, _directory, timeout: TimeSpan.FromMinutes(2));
    }

    private void DeleteDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (the watchdog deleted it).
        }
    }
}
