namespace Provenance.FirmwareSim;

/// <summary>The simulator connected to, or lost or failed to reach, the broker.</summary>
public sealed class ConnectionChangedEventArgs(bool connected, string? error) : EventArgs
{
    /// <summary>Whether the simulator is connected now.</summary>
    public bool Connected { get; } = connected;

    /// <summary>Why the connection was lost or could not be made (null when connected).</summary>
    public string? Error { get; } = error;
}
