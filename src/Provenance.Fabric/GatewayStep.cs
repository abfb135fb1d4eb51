namespace Provenance.Fabric;

/// <summary>The step of a Fabric Gateway interaction; named in every error.</summary>
public enum GatewayStep
{
    /// <summary>Evaluating a transaction proposal (a query; nothing is ordered).</summary>
    Evaluate,

    /// <summary>Collecting endorsements for a transaction proposal.</summary>
    Endorse,

    /// <summary>Sending the endorsed transaction to the ordering service.</summary>
    Submit,

    /// <summary>Waiting for the transaction's commit status.</summary>
    CommitStatus,

    /// <summary>The transaction was committed to a block but validated as invalid.</summary>
    Commit,

    /// <summary>Reading chaincode events.</summary>
    ChaincodeEvents,
}
