using System.Net;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// Admits a new TCP connection only while its listener is under <see cref="EmbeddedBrokerOptions.MaxConnections"/>,
/// its remote address under <see cref="EmbeddedBrokerOptions.MaxConnectionsPerAddress"/>, and the process keeps its
/// file-handle reserve. Refused connections are closed at once; admitted ones keep being served. Thread-safe.
/// </summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress, FileHandleBudget handles)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _gate = new();
    private int _total;

    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Null when admitted (call <see cref="Release"/> when it closes); else why not.</summary>
    public string? TryAdmit(IPAddress address)
    {
        lock (_gate)
        {
            if (_total >= maxConnections)
            {
                return $"the listener holds its maximum of {maxConnections} connections (Broker:MaxConnections)";
            }

            var fromAddress = _perAddress.GetValueOrDefault(address);
            if (fromAddress >= maxPerAddress)
            {
                return $"{address} holds its maximum of {maxPerAddress} connections (Broker:MaxConnectionsPerAddress)";
            }

            if (!handles.TryTake())
            {
                return $"fewer than Broker:FileHandleReserve file handles are left under the process limit of {handles.Limit}";
            }

            _perAddress[address] = fromAddress + 1;
            _total++;
            return null;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_gate)
        {
            _total--;
            if (_perAddress.TryGetValue(address, out var count) && count > 1)
            {
                _perAddress[address] = count - 1;
            }
            else
            {
                _perAddress.Remove(address);
            }
        }
    }
}
