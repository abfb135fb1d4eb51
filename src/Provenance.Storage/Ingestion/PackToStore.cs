using Provenance.Storage.Packaging;

namespace Provenance.Storage.Ingestion;

/// <summary>
/// A verified pack event ready to store: the packing to apply under the hierarchy's rules, and the journal body
/// (<see cref="Provenance.Core.Records.PackRecord"/> JSON) whose equality tells a redelivery from a conflicting reuse of
/// the event id.
/// </summary>
public sealed record PackToStore(string EventId, ContainerPacking Packing, string RecordJson);
